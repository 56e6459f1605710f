"""Values customers give in service requests, read from what they type or say.

Every parser returns the value it found, or None when the text holds nothing of that
kind, so a form can tell "answered but wrong" (re-prompt) from "asked something
else" (let the conversation go elsewhere and come back). Validity checks that need
an explanation for the customer raise :class:`Invalid` with that explanation.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import cn2an

from actions.parsers.digits import digit_runs, find_mobile, normalize_digits


class Invalid(ValueError):
    """The customer answered, but the value cannot be used; ``str(self)`` says why."""


class CheckDigitMismatch(Invalid):
    """An ID number whose last character disagrees with the others (GB 11643).

    Often one digit mistyped, sometimes an old card or a typo in our own records: the
    number is kept with a note for the staff to check, rather than blocking the request.
    """

    def __init__(self, candidate: str) -> None:
        super().__init__("这个身份证号码的校验位对不上，可能有一位输错了。")
        self.candidate = candidate


# --- ID number (居民身份证号码, GB 11643) -------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_CANDIDATE = re.compile(
    r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])|(?<![0-9])[0-9]{15,17}(?![0-9])|(?<![0-9])[0-9]{19,20}(?![0-9])"
)


def _id_text(text: str) -> str:
    """Digits made ASCII, spaces dropped, a spoken 叉/艾克斯 at the end made X."""
    text = normalize_digits(text)
    text = re.sub(r"(叉|艾克斯|爱克斯|大写的?x|小写的?x)", "X", text, flags=re.IGNORECASE)
    return re.sub(r"(?<=\d)[\s\-]+(?=[\dXx])", "", text)


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(text: str) -> str | None:
    """An 18-character ID number in ``text`` (upper-case X); Invalid if it fails its checks.

    None when ``text`` holds no run of digits that could be meant as an ID number.
    """
    match = _ID_CANDIDATE.search(_id_text(text))
    if not match:
        return None
    candidate = match.group().upper()
    if len(candidate) != 18:
        raise Invalid(f"身份证号码应为18位，您提供的是{len(candidate)}位。")
    try:
        date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        raise Invalid("这个身份证号码中的出生日期不对，可能有数字输错了。") from None
    if id_check_digit(candidate[:17]) != candidate[17]:
        raise CheckDigitMismatch(candidate)
    return candidate


# --- mobile phone ------------------------------------------------------------------
def parse_mobile(text: str) -> str | None:
    """An 11-digit mobile number starting with 1; Invalid for a number of another shape."""
    mobile = find_mobile(text)
    if mobile:
        return mobile
    runs = [run for run in digit_runs(normalize_digits(text)) if len(run) >= 7]
    if not runs:
        return None
    run = max(runs, key=len)
    if len(run) == 11:
        raise Invalid("手机号码应以1开头，请核对一下。")
    raise Invalid(f"手机号码应为11位，您提供的是{len(run)}位。")


# --- capacity ----------------------------------------------------------------------
_CN_NUMBER = "零〇一二两三四五六七八九十百点"
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN_NUMBER}]+)"
_CAPACITY = re.compile(
    rf"({_NUMBER})\s*(?:个)?\s*(千瓦|kw|kva|千伏安|瓦|w)(?![a-z])", re.IGNORECASE
)
_BARE_NUMBER = re.compile(rf"^\D{{0,6}}?({_NUMBER})\s*(?:个)?\s*[。.!！]?$")
_TARGET_MARK = re.compile(r"(?:到|为|成|至)\s*$")
MAX_CAPACITY_KW = Decimal("10000")


def number(token: str) -> Decimal | None:
    """A number written in digits or in Chinese (两百, 一万二)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    try:
        return Decimal(str(cn2an.cn2an(token.replace("两", "二"), "smart")))
    except (ValueError, KeyError, InvalidOperation):
        return None


def parse_capacity_kw(text: str, bare_number_is_kw: bool = False) -> Decimal | None:
    """Requested capacity in kW: 8千瓦, 八千瓦, 16kW, 8000瓦, 10千伏安 (taken as kW).

    With several figures ("从8千瓦增到16千瓦") the one after 到/为/成 wins, else the last.
    ``bare_number_is_kw`` accepts a plain "16" when the bot has just asked for kW.
    """
    text = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[Decimal, bool]] = []
    for match in _CAPACITY.finditer(text):
        value = number(match.group(1))
        if value is None:
            continue
        if match.group(2).lower() in ("瓦", "w"):
            value = value / 1000
        targeted = bool(_TARGET_MARK.search(text[: match.start()]))
        found.append((value, targeted))
    if not found and bare_number_is_kw:
        bare = _BARE_NUMBER.match(text.strip())
        value = number(bare.group(1)) if bare else None
        if value is not None:
            found.append((value, False))
    if not found:
        return None
    value = next((v for v, targeted in reversed(found) if targeted), found[-1][0])
    if value <= 0:
        raise Invalid("用电容量要大于0千瓦。")
    if value > MAX_CAPACITY_KW:
        raise Invalid("这个容量超出了在线办理的范围，请核对单位是不是千瓦。")
    return value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))


# --- yes / no ----------------------------------------------------------------------
_SURELY_YES = re.compile(r"(没问题|没错|无误|不错|对的)")
_NO = re.compile(r"(没有|没得|木有|还没|没办|没带|不是|不对|不行|不用|不要|不需要|无|否|没)")
_YES = re.compile(r"(有的|有|是的|是|对|嗯|好的|好|可以|行|齐了|办了|拿到了|带了|确认|提交|ok)", re.IGNORECASE)


def parse_yes_no(text: str) -> bool | None:
    """True for 有/是/对/好的…, False for 没有/不是/还没…, None when neither is said."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if _SURELY_YES.search(text):
        return True
    no, yes = _NO.search(text), _YES.search(text)
    if no and (not yes or no.start() <= yes.start()):
        return False
    if yes:
        return True
    return None


# --- dates -------------------------------------------------------------------------
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_DAY_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_FULL_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MONTH_DAY = re.compile(rf"{_DAY_NUM}\s*月\s*{_DAY_NUM}\s*[日号]?")
_SLASH_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\d)")
_DAY_ONLY = re.compile(rf"(?<![月\d]){_DAY_NUM}\s*[日号]")
_WEEKDAY = re.compile(r"(下下|下|这|本)?\s*(?:个)?\s*(?:周|星期|礼拜)([一二三四五六日天])")


def _int(token: str) -> int | None:
    value = number(token)
    return int(value) if value is not None else None


def _date_or_invalid(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(f"{month}月没有{day}号，请再说一下日期。") from None


def parse_date(text: str, today: date) -> date | None:
    """A calendar date customers name: 明天, 下周三, 11月25号, 25号, 2026-11-25.

    Dates without a year are the next such date from ``today`` (a past day of this
    month means next month), so "25号" said on the 28th is the 25th of next month.
    """
    text = unicodedata.normalize("NFKC", text or "").replace(" ", "")
    match = _FULL_DATE.search(text)
    if match:
        return _date_or_invalid(*(int(g) for g in match.groups()))
    for phrase in sorted(_RELATIVE_DAYS, key=len, reverse=True):
        if phrase in text:
            return today + timedelta(days=_RELATIVE_DAYS[phrase])
    match = _MONTH_DAY.search(text) or _SLASH_DATE.search(text)
    if match:
        month, day = _int(match.group(1)), _int(match.group(2))
        if month and day and 1 <= month <= 12:
            candidate = _date_or_invalid(today.year, month, day)
            return candidate if candidate >= today else _date_or_invalid(today.year + 1, month, day)
    match = _WEEKDAY.search(text)
    if match:
        weeks = {"下下": 2, "下": 1}.get(match.group(1) or "", 0)
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
        candidate = monday + timedelta(days=_WEEKDAYS[match.group(2)])
        return candidate if weeks or candidate >= today else candidate + timedelta(weeks=1)
    match = _DAY_ONLY.search(text)
    if match:
        day = _int(match.group(1))
        if day:
            year, month = today.year, today.month
            if day < today.day:
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return _date_or_invalid(year, month, day)
    return None


# --- bank account ------------------------------------------------------------------
def parse_bank_account(text: str) -> str | None:
    """A bank card or account number (12 to 19 digits), spaces allowed."""
    runs = [run for run in digit_runs(normalize_digits(text)) if len(run) >= 8]
    if not runs:
        return None
    run = max(runs, key=len)
    if not 12 <= len(run) <= 19:
        raise Invalid(f"银行卡号一般是16到19位，您提供的是{len(run)}位，请核对一下。")
    return run


# --- names, addresses, free text ---------------------------------------------------
_NAME_PREFIX = re.compile(
    r"^(?:我叫|我是|名字是|名字叫|姓名是|姓名|户主是|户主叫|户主|户名是|户名|叫|是|新户主是|新户主叫|新户主)\s*"
)
_NAME = re.compile(r"^[\u4e00-\u9fff·•A-Za-z（）()]{2,30}$")
_NOT_A_NAME = re.compile(r"(吗|呢|怎么|什么|多少|哪|不知道|为啥)")
_ADDRESS_HINT = re.compile(r"(省|市|区|县|镇|乡|村|街|路|巷|弄|大道|号|栋|幢|楼|单元|室|小区|花园|苑|公寓|大厦|组)")
_TRAILING = re.compile(r"[。.!！?？,，~～]+$")


def clean_name(text: str) -> str | None:
    """A person's or an organisation's name, without 我叫/户主是 and punctuation."""
    text = _TRAILING.sub("", unicodedata.normalize("NFKC", text or "").strip())
    text = _NAME_PREFIX.sub("", text).replace(" ", "")
    return text if _NAME.match(text) and not _NOT_A_NAME.search(text) else None


def clean_address(text: str) -> str | None:
    """An address as given, if it looks like one (a place word such as 路, 号, 小区, 村)."""
    text = _TRAILING.sub("", unicodedata.normalize("NFKC", text or "").strip())
    text = re.sub(r"^(?:地址是|地址|我家在|我家是|住在|在|就在|位置是|位置在)\s*", "", text)
    if len(text) < 3 or not _ADDRESS_HINT.search(text):
        return None
    return text


def clean_free_text(text: str, min_chars: int = 2) -> str | None:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return text if len(text) >= min_chars else None


# --- values named in passing -------------------------------------------------------
# A message may carry values the bot has not asked for yet (「申请人陈立华，身份证…，地址…」);
# these readers find them only where the customer names what they are.
_NAME_CUE = re.compile(
    r"(?:申请人|新户主|新户名|户主|户名|我叫|名字叫|名字是|姓名是|姓名|本人叫|本人|(?:名字|姓名)[^，,。\s]{0,6}\s*(?=是))"
    r"\s*[:：]?\s*(?:是|叫)?\s*"
    r"([\u4e00-\u9fff·]{2,4}?)(?=身份|电话|手机|地址|联系|号码|住|家|在|的|，|,|。|、|\s|$|\d)"
)
_ADDRESS_CUE = re.compile(
    r"(?:用电地址|详细地址|地址|住址|家住|住在|家在|位置在|位置是|地点在|地点是|装在|车位在)\s*[:：]?\s*(?:是|在)?\s*"
    r"(.+?)(?=\s*[，,。;；]?\s*(?:电话|手机|联系|身份证|户号|尾号|容量|产权|房产|物业|车位是|$))"
)
_DOCUMENT_CUES = {
    "property_proof": re.compile(r"房产证|产权证|不动产|购房合同|房本|宅基地证|土地证|产权证明"),
    "parking_proof": re.compile(r"车位.{0,8}(?:产权|租赁|合同|买的|自己的|租的|证明)|(?:产权|租赁).{0,4}车位"),
    "pm_consent": re.compile(r"物业"),
}
_DOCUMENT_YES = re.compile(
    r"有|在|齐|带|办好|办下来|下来了|弄好|搞定|拿到|同意|盖章|盖好|签字|签了|签好|开好|批了|买的|自己的|租的|没问题"
)
_DOCUMENT_NO = re.compile(r"没有|没得|还没|没办|不在|不同意|不给|不肯|拒绝|没盖|不盖|不签|没签|没开")
_CORRECTION = re.compile(r"改成|改为|换成|应该是|不对|错了|打错|说错|写错|输错|按错|更正|纠正|不是.{1,12}是")
_REGISTERED_PHONE = re.compile(
    r"(?:电话|手机|号码|联系).{0,8}(?:登记|预留|留的|注册|原来|账户上|户号上|本人)"
    r"|(?:登记|预留|注册|原来|账户上|户号上)的?(?:那个)?(?:手机|电话|号码|号)|本机"
)
_REASON_CUE = re.compile(r"因为|原因|由于|新装|新买|新添|添了|加了|装了|买了|开店|开了个|跳闸|不够用|带不动|要用|用不了")


def find_name(text: str) -> str | None:
    """A name the customer introduces (申请人陈立华, 我叫吴桂芳, 新户主马晓东)."""
    match = _NAME_CUE.search(unicodedata.normalize("NFKC", text or ""))
    return clean_name(match.group(1)) if match else None


def find_address(text: str) -> str | None:
    """An address the customer introduces (地址是…, 家住…, 装在…), up to the first part
    of the message that is no longer about the place."""
    match = _ADDRESS_CUE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    parts: list[str] = []
    for part in re.split(r"[\s,，、]+", match.group(1)):
        if parts and not _ADDRESS_HINT.search(part) and not re.search(r"\d", part):
            break
        parts.append(part)
    return clean_address("".join(parts))


def document_answers(text: str) -> dict[str, bool]:
    """Which proofs the customer says they have or lack (房产证有的, 物业不同意…)."""
    text = unicodedata.normalize("NFKC", text or "")
    found = {}
    for slot, cue in _DOCUMENT_CUES.items():
        match = cue.search(text)
        if not match:
            continue
        around = text[max(0, match.start() - 4) : match.end() + 10]
        if _DOCUMENT_NO.search(around):
            found[slot] = False
        elif _DOCUMENT_YES.search(around):
            found[slot] = True
    return found


def is_correction(text: str) -> bool:
    """Whether the customer says a value given earlier was wrong."""
    return bool(_CORRECTION.search(text or ""))


def means_registered_phone(text: str) -> bool:
    """「电话就用登记的那个」: contact the customer on the account's own phone."""
    return bool(_REGISTERED_PHONE.search(text or "")) and find_mobile(text) is None


def states_reason(text: str) -> bool:
    """Whether the message gives a reason (家里新装了空调, 开店要用) besides anything else."""
    return bool(_REASON_CUE.search(text or ""))


_CONFIRM = re.compile(r"确认|提交|没问题|没错|无误|就这样|可以提交|办吧|交吧")
_VALUE_PHRASES = re.compile(
    r"(?:户号|尾号|后四位|后4位|手机|电话|联系电话|号码)\s*[:：是]?\s*[\d\s\-]{4,}"
    r"|(?:增|加|调|减|改)?(?:到|成|为)?\s*\d+(?:\.\d+)?\s*(?:千瓦|kw|KW|kW)|\d{7,}"
)


def confirms(text: str) -> bool:
    """An explicit go-ahead at the summary (确认, 提交吧, 没问题), not negated (先不提交)
    and not a correction (不对，电话改成…)."""
    text = text or ""
    match = _CONFIRM.search(text)
    if not match or is_correction(text):
        return False
    return not re.search(r"[不别没暂]", text[max(0, match.start() - 3) : match.start()])


def reason_text(text: str) -> str:
    """The reason in a message that also carries numbers (户号…, 增到30千瓦, 电话…)."""
    reason = _VALUE_PHRASES.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return " ".join(reason.split()) or text
