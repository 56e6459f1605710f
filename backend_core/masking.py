"""Masking of personal information (个人信息保护法), as service_rules.yml prescribes.

- name: first character kept (张*), a compound surname kept whole (欧阳**);
- phone: first 3 and last 4 digits kept (138****8000);
- address: district and street kept, house, building and room numbers masked;
- ID number: first 3 and last 4 kept.

:class:`MaskingFilter` applies the same rules to free text in log records, so an
application log never holds a mobile number, an ID number or a full address.
"""

from __future__ import annotations

import logging
import re

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 "
    "闻人 澹台 公冶 呼延 赫连 申屠 太史 钟离 宗政 濮阳 淳于 单于 百里 东郭 第五 万俟 司空 左丘".split()
)

# The street-level part of a Chinese address ends with one of these; what follows
# (compound, building, unit, room, house number) identifies a household.
_STREET_END = re.compile(r"(?:街道|大道|大街|路|街|巷|弄|胡同|村|里)")
_DIGITS = re.compile(r"[0-9０-９A-Za-z]")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})(\d{11})(\d{3}[\dXx])(?![0-9A-Za-z])")
_HOUSE_NUMBER = re.compile(r"\d+(?=\s*(?:号|栋|幢|单元|室|楼|组|层))|(?:(?<=单元)|(?<=号楼)|(?<=[栋幢]))\d+")


def mask_name(name: str) -> str:
    if not name:
        return name
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_account(account_no: str | None) -> str | None:
    """3300****45: enough for an agent to recognise, not enough to query with."""
    if not account_no:
        return None
    return account_no[:4] + "*" * (len(account_no) - 6) + account_no[-2:]


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_id_number(id_number: str) -> str:
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def mask_address(address: str) -> str:
    """Keep everything up to the street (路/街/村…), mask every number after it."""
    match = None
    for candidate in _STREET_END.finditer(address):
        if _DIGITS.search(address[: candidate.start()]):
            break
        match = candidate
    cut = match.end() if match else 0
    return address[:cut] + _DIGITS.sub("*", address[cut:])


def mask_text(text: str) -> str:
    """Mask mobile numbers, ID numbers and house numbers inside free text."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 11 + m.group(3)[-4:], text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _HOUSE_NUMBER.sub(lambda m: "*" * len(m.group(0)), text)


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with :func:`mask_text` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install_log_masking(*loggers: logging.Logger) -> MaskingFilter:
    """Attach one filter to the handlers of ``loggers`` (default: root) and to the loggers themselves."""
    masking = MaskingFilter()
    for logger in loggers or (logging.getLogger(),):
        if masking not in logger.filters:
            logger.addFilter(masking)
        for handler in logger.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(masking)
    return masking
