"""Words for service requests: form values in a summary, deadlines, order states.

Kept apart from the actions so that the summary the customer confirms and the reply
after submitting describe the same values in the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from actions.kernel.clock import LOCAL_TZ
from actions.kernel.facts import service_facts, tariff_facts
from actions.parsers.periods import MonthSpan, shift
from actions.requests.catalog import Form, Task
from actions.wording.fmt import moment_label, yuan
from backend_core.masking import mask_account

WEEKDAYS = "一二三四五六日"
REGISTERED_PHONE = "户号登记的手机"
ORDER_STATES = {
    "submitted": "已提交，等待受理",
    "accepted": "已受理",
    "dispatched": "已派单",
    "in_progress": "正在处理",
    "completed": "已办结",
    "closed": "已归档",
    "cancelled": "已撤销",
}
SAFETY_ADVICE = "请先远离现场，不要靠近或触碰电线和设备，也提醒路人绕开。如有人受伤请立即拨打120，起火请拨打119。"
DOCUMENT_HELP = {
    "property_proof": "产权证明可以是不动产权证书（房产证），也可以是购房合同。",
    "parking_proof": "车位证明可以是车位产权证明，也可以是车位租赁合同（证明）。",
    "pm_consent": "物业同意证明是小区物业出具的同意安装充电桩的书面证明。",
}


def hours_words(hours: str) -> str:
    """22:00-08:00 -> 22:00-次日8:00; 08:00-22:00 -> 8:00-22:00."""
    start, end = hours.split("-")
    start, end = (f"{int(t.split(':')[0])}:{t.split(':')[1]}" for t in (start, end))
    overnight = int(end.split(":")[0]) < int(start.split(":")[0])
    return f"{start}-{'次日' if overnight else ''}{end}"


def figures() -> dict[str, str]:
    """The core's figures that request introductions quote, by name."""
    service, tariffs = service_facts(), tariff_facts()
    tou = tariffs.residential.time_of_use
    days = service.new_connection_working_days
    return {
        "residential_days": str(days["residential_total"]),
        "shop_days": str(days["low_voltage_non_residential"]),
        "meter_fee": yuan(service.meter_test_fee_yuan),
        "meter_result_days": str(service.meter_test_result_working_days),
        "tou_peak_hours": hours_words(tou.peak_hours),
        "tou_valley_hours": hours_words(tou.valley_hours),
        "tou_peak_price": f"{Decimal(tou.peak_price).normalize():f}",
        "tou_valley_price": f"{Decimal(tou.valley_price).normalize():f}",
    }


def offer_words(task: Task) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The offer to start ``task`` after answering a question about it, and its button."""
    if task.asked_as_question:
        return "需要的话，我可以帮您查一下您那里的情况。", ((task.title, f"/{task.intent}"),)
    return f"需要的话，我可以现在帮您办理{task.title}。", ((f"办理{task.title}", f"/{task.intent}"),)


def intro_text(task: Task) -> str:
    """What the customer must know before a request, with today's figures."""
    return (task.intro or "").format(**figures())


def weekday_label(day: date) -> str:
    return "周" + WEEKDAYS[day.weekday()]


def date_label(day: date) -> str:
    """11月25日（周三）."""
    return f"{day.month}月{day.day}日（{weekday_label(day)}）"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment


def deadline_words(deadline: datetime) -> str:
    """A deadline as people say it: 11月27日（周五）前, or 11月20日 15:45前 for same-day ones."""
    local = _local(deadline)
    if local.time() >= time(23, 59):
        return f"{date_label(local.date())}前"
    return f"{moment_label(local)}前"


def periods_label(value: str) -> str:
    """'2026-08,2026-09,2026-10' -> 2026年8月至2026年10月; one month -> 2026年10月."""
    months = value.split(",")
    first, last = months[0], months[-1]
    label = lambda p: f"{int(p[:4])}年{int(p[5:7])}月"  # noqa: E731
    return label(first) if first == last else f"{label(first)}至{label(last)}"


def span_value(span: MonthSpan) -> str:
    return ",".join(span.months())


def last_billed_period(today: date) -> str:
    """The newest month whose bill has been issued (a month's bill comes out on the 1st of the next)."""
    return shift(f"{today.year:04d}-{today.month:02d}", -1)


def capacity_label(value: Any) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}千瓦"


def masked_id(value: str) -> str:
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def account_words(account_no: str, spoken: bool) -> str:
    """The account as a summary shows it; masked digits cannot be read aloud, so speech says the tail."""
    return f"尾号{account_no[-4:]}" if spoken else mask_account(account_no) or ""


def display(slot: str, value: Any, spoken: bool = False) -> str:
    """A slot's value in the summary the customer confirms (``spoken``: for the phone line)."""
    if slot in DOCUMENT_HELP:
        return "有" if value else "暂未提供（稍后补交）"
    if slot == "capacity_kw":
        return capacity_label(value)
    if slot == "preferred_date":
        return date_label(date.fromisoformat(value))
    if slot == "id_number":
        return f"尾号{value[-4:]}" if spoken else masked_id(value)
    if slot == "refund_bank_account":
        return f"尾号{value[-4:]}的账户"
    if slot == "invoice_period":
        return periods_label(value)
    return str(value)


def summary_lines(form: Form, slots: dict[str, Any], account_no: str | None, spoken: bool = False) -> list[str]:
    lines = [f"户号：{account_words(account_no, spoken)}"] if account_no else []
    for field in form.fields:
        value = slots.get(field.slot)
        if value is not None:
            lines.append(f"{field.label}：{display(field.slot, value, spoken)}")
        elif field.slot == "contact_phone" and account_no:
            lines.append(f"{field.label}：{REGISTERED_PHONE}")
    return lines


def work_order_value(slot: str, value: Any) -> str:
    """A slot's value as the work order stores it (the core masks personal fields)."""
    if slot in DOCUMENT_HELP:
        return "已提供" if value else "待补充"
    if slot == "capacity_kw":
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)
