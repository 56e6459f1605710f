"""Questions that ask for a figure the tariffs determine, read from the words.

「家里电费两百块晚交十天违约金多少」, 「第三档一度多少钱」, 「最大需量400千瓦基本电费多少」,
「今年已经用了2700度，这个月又用了100度，电费多少」: the billing engine computes the answer;
this module only finds what is asked and the numbers given. A follow-up (「那晚交三天呢」)
gives only what changes: :func:`merge` fills the rest from the previous question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any, Literal, TypedDict

from actions.parsers.values import number

Kind = Literal["late_fee", "tier_price", "tou_price", "energy_cost", "demand_charge"]
_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_AMOUNT = re.compile(_NUM + r"\s*(?:多)?\s*(?:元|块钱|块)")
_BILL_AMOUNT = re.compile(r"(?:电费|欠费|欠|金额)\s*(?:是|有|为)?\s*" + _NUM + r"(?![\d度天千瓦])")
_DAYS = re.compile(_NUM + r"\s*(?:个)?\s*(?:天|日)(?!电)")
_KWH = re.compile(_NUM + r"\s*(?:度|千瓦时|kwh|kWh|KWH)")
_PRIOR = re.compile(r"(?:累计|已经|前面|之前|到上个月|今年|年初到现在|一共)[^，,。度]{0,8}?" + _NUM + r"\s*(?:度|千瓦时)")
_KW = re.compile(_NUM + r"\s*(?:千瓦|kw|kW|KW|千伏安|kva|kVA)(?!时)")
_TIER = re.compile(r"第\s*([一二三123])\s*档|(最贵|最高|最便宜|最低)(?:的|那)?(?:一)?档")
_LATE = re.compile(r"违约金|滞纳金|罚款|罚多少|罚钱|罚金|罚.{0,2}钱|晚交|迟交|逾期|拖了|晚了.{0,4}天")
_DEMAND = re.compile(r"需量|基本电费|两部制|容量电费")
_PRICE = re.compile(r"电价|一度|每度|度电|多少钱一度|一度多少|单价|价格")
_UNIT_PRICE = re.compile(r"电价|多少钱一度|一度多少|一度电多少|每度|单价|价格")
_COST = re.compile(r"多少钱|电费|交多少|要交|费用|多少块")
_PEAK = re.compile(r"尖峰|高峰|峰时|峰段|峰电|峰谷|峰平谷")
_VALLEY = re.compile(r"低谷|谷时|谷段|谷电|夜里|晚上|半夜")
_FLAT = re.compile(r"平段|平时段")
_BUSINESS = re.compile(r"工商业|商业|商铺|店|饭馆|餐馆|公司|厂|经营|门面|超市")
_LOW_INCOME = re.compile(r"低保|五保")
_LARGE = re.compile(r"一户多人口|多人口|人口多")
_HOME = re.compile(r"住家|居民|家里|家用|民用|生活用电|老百姓|普通人家|咱家|我家")
_HYPOTHETICAL = re.compile(r"如果|假如|要是|比如|大概|大约|一个月用|每月用|普通居民|按.{0,6}算|算一下|帮我算")
_FOLLOW_UP = re.compile(r"^\s*(?:那|那么|如果|要是|假如|换成|改成)|呢\s*[？?]?\s*$")


@dataclass(frozen=True)
class FigureQuestion:
    kind: Kind
    amount: Decimal | None = None
    days: int | None = None
    kwh: Decimal | None = None
    prior_kwh: Decimal | None = None
    kw: Decimal | None = None
    tier: int | None = None  # 1, 2, 3
    part: str | None = None  # peak, valley, flat, critical_peak
    business: bool = False
    low_income: bool = False
    large_household: bool = False

    def as_slot(self) -> dict[str, str | int | bool | None]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_slot(cls, value: object) -> FigureQuestion | None:
        if not isinstance(value, dict) or value.get("kind") not in Kind.__args__:  # type: ignore[attr-defined]
            return None
        decimals = {"amount", "kwh", "prior_kwh", "kw"}
        fields: dict[str, Any] = {k: (Decimal(v) if k in decimals and v is not None else v) for k, v in value.items()
                                  if k in cls.__dataclass_fields__}
        return cls(**fields)


def _first(pattern: re.Pattern, text: str) -> Decimal | None:
    match = pattern.search(text)
    return number(match.group(1)) if match else None


def _tier(text: str) -> int | None:
    match = _TIER.search(text)
    if not match:
        return None
    if match.group(1):
        tier = int(str(number(match.group(1))))
        beyond = re.search(r"(?:超过|超出|超了|过了|高于)\s*$", text[: match.start()])
        return min(tier + 1, 3) if beyond else tier
    return 3 if match.group(2) in ("最贵", "最高") else 1


def _part(text: str) -> str | None:
    if "尖峰" in text:
        return "critical_peak"
    if _VALLEY.search(text):
        return "valley"
    if _FLAT.search(text):
        return "flat"
    if _PEAK.search(text):
        return "peak"
    return None


class _Household(TypedDict):
    """What the message says of the customer, whatever figure it asks for."""

    business: bool
    low_income: bool
    large_household: bool


def read_figure_question(text: str) -> FigureQuestion | None:
    """What figure ``text`` asks for, with the numbers it gives; None when it asks for none."""
    text = unicodedata.normalize("NFKC", text or "")
    amount = _first(_AMOUNT, text) or _first(_BILL_AMOUNT, text)
    days = _first(_DAYS, text)
    kwh_matches = [number(m.group(1)) for m in _KWH.finditer(text)]
    prior = _first(_PRIOR, text)
    kwh = next((k for k in reversed(kwh_matches) if k is not None and k != prior), None)
    kw = _first(_KW, text)
    common = _Household(business=bool(_BUSINESS.search(text)), low_income=bool(_LOW_INCOME.search(text)),
                        large_household=bool(_LARGE.search(text)))
    if _LATE.search(text) and (amount is not None or days is not None):
        return FigureQuestion("late_fee", amount=amount, days=int(days) if days is not None else None, **common)
    if _DEMAND.search(text) and kw is not None:
        return FigureQuestion("demand_charge", kw=kw, **common)
    if kwh is not None and _COST.search(text) and not _UNIT_PRICE.search(text):
        return FigureQuestion("energy_cost", kwh=kwh, prior_kwh=prior, **common)
    tier, part = _tier(text), _part(text)
    if (_PRICE.search(text) or _COST.search(text)) and tier is not None:
        return FigureQuestion("tier_price", tier=tier, part=part, **common)
    if _PRICE.search(text) and part is not None:
        return FigureQuestion("tou_price", part=part, **common)
    if (_UNIT_PRICE.search(text) or "每档" in text) and (_HOME.search(text) or "阶梯" in text) and not common["business"]:
        return FigureQuestion("tier_price", **common)  # 住家用电多少钱一度: every tier
    return None


def merge(new: FigureQuestion | None, text: str, previous: FigureQuestion | None) -> FigureQuestion | None:
    """A follow-up to ``previous`` (「那晚交三天呢」, 「那第二档呢」): only what it changes."""
    if previous is None:
        return new
    if new is not None and new.kind != previous.kind:
        return new
    text = unicodedata.normalize("NFKC", text or "")
    if new is None and not _FOLLOW_UP.search(text):
        return None
    if previous.kind == "late_fee":
        amount = _first(_AMOUNT, text) or _first(_BILL_AMOUNT, text)
        days = _first(_DAYS, text)
        if amount is None and days is None:
            return new
        return replace(previous, amount=amount or previous.amount, days=int(days) if days is not None else previous.days)
    if previous.kind in ("tier_price", "tou_price"):
        tier, part = _tier(text), _part(text)
        if tier is None and part is None:
            return new
        return replace(previous, tier=tier or previous.tier, part=part or previous.part,
                       kind="tier_price" if (tier or previous.tier) else "tou_price")
    if previous.kind == "energy_cost":
        kwh = _first(_KWH, text)
        return replace(previous, kwh=kwh) if kwh is not None else new
    if previous.kind == "demand_charge":
        kw = _first(_KW, text)
        return replace(previous, kw=kw) if kw is not None else new
    return new


def gives_its_own_figures(text: str) -> bool:
    """A question that brings its own numbers (这个月用了100度、电费两百晚交十天): the
    answer is a computation, not the customer's account."""
    question = read_figure_question(text)
    return question is not None and (
        (question.kind == "energy_cost" and question.kwh is not None
         and (question.prior_kwh is not None or bool(_HYPOTHETICAL.search(text or ""))))
        or (question.kind == "late_fee" and question.amount is not None and question.days is not None)
    )
