"""Figures the tariffs determine, computed by the billing engine and shown with how
they were reached: a tier's price, a late fee, a month's bill for given kWh, a demand
charge. A passage that explains the rule does not tell a customer what *they* pay.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker

from actions.kernel.facts import tariff_facts
from actions.kernel.gateway import get_gateway
from actions.parsers.figures import FigureQuestion, merge, read_figure_question
from actions.wording.fmt import TIER_NAMES, kwh, money, yuan
from actions.wording.requests import hours_words
from backend_core.gateway.interfaces import CoreError

SLOT = "last_figure"
# What to search for the document a figure's rule comes from (its citation).
RULE_QUESTIONS = {
    "late_fee": "电费违约金怎么计算",
    "tier_price": "居民阶梯电价分档标准",
    "tou_price": "峰谷分时电价时段和价格",
    "energy_cost": "每月电量怎么分档计费",
    "demand_charge": "大工业两部制基本电费",
}


def _price(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _permille(rate: Decimal) -> str:
    return f"{(Decimal(rate) * 1000).normalize():f}‰"


def _late_fee(q: FigureQuestion) -> str:
    late = tariff_facts().late_payment
    rate = late.non_residential_current_year_daily_rate if q.business else late.residential_daily_rate
    who = "经营用电" if q.business else "居民用电"
    if q.amount is None:
        return (f"{who}的违约金按未缴电费每天{_permille(rate)}计算，从缴费截止日（每月{late.due_day}日）的次日算起，"
                f"不足{yuan(late.minimum_yuan)}按{yuan(late.minimum_yuan)}收取。告诉我欠费金额和晚了几天，我帮您算。")
    if q.days is None:
        return (f"{who}电费{yuan(q.amount)}，每逾期一天违约金约{money(q.amount * rate)}"
                f"（每天{_permille(rate)}），不足{yuan(late.minimum_yuan)}按{yuan(late.minimum_yuan)}收取。")
    quote = get_gateway().late_fee(q.amount, "non_residential" if q.business else "residential", q.days)
    steps = "+".join(f"{s.days}天×{_permille(s.daily_rate)}" for s in quote.segments)
    text = f"{who}电费{yuan(quote.amount)}逾期{quote.days_late}天：{yuan(quote.amount)}×（{steps}）={money(quote.computed)}"
    if quote.minimum_applied:
        return text + f"，不足{yuan(quote.minimum_yuan)}，按{yuan(quote.minimum_yuan)}收取，违约金为{money(quote.fee)}。"
    return text + f"，违约金为{money(quote.fee)}。"


def _tier_price(q: FigureQuestion) -> str:
    residential = tariff_facts().residential
    first, second = (kwh(t) for t in residential.thresholds_kwh[:2])
    if q.tier is None:
        prices = [_price(p) for p in residential.tier_prices]
        return (f"居民生活用电执行阶梯电价，按全年累计用电分三档：{first}以内每度{prices[0]}元，"
                f"{first}至{second}的部分每度{prices[1]}元，超过{second}的部分每度{prices[2]}元。")
    tier = min(max(q.tier, 1), 3)
    scope = {1: f"全年累计{first}以内", 2: f"全年累计{first}至{second}的部分", 3: f"全年累计超过{second}的部分"}[tier]
    text = f"居民阶梯电价{TIER_NAMES[tier]}每度{_price(residential.tier_prices[tier - 1])}元（{scope}）。"
    if q.part in ("peak", "valley"):
        tou, extra = residential.time_of_use, residential.tier_surcharges[tier - 1]
        text += (f"执行峰谷电价的，{TIER_NAMES[tier]}高峰每度{_price(tou.peak_price + extra)}元，"
                 f"低谷每度{_price(tou.valley_price + extra)}元。")
    return text


def _tou_price(q: FigureQuestion) -> str:
    facts = tariff_facts()
    if q.business:
        schedule = facts.commercial
        names = {"peak": ("高峰", schedule.peak_price, "、".join(schedule.peak_hours)),
                 "flat": ("平段", schedule.flat_price, "、".join(schedule.flat_hours)),
                 "valley": ("低谷", schedule.valley_price, "、".join(schedule.valley_hours)),
                 "critical_peak": ("尖峰", schedule.critical_peak_price, schedule.critical_peak_hours)}
        name, value, hours = names[q.part or "peak"]
        months = "、".join(f"{m}月" for m in schedule.critical_peak_months)
        extra = f"（仅{months}）" if q.part == "critical_peak" else ""
        return f"一般工商业{name}时段{hours}{extra}每度{_price(value)}元，平段每度{_price(schedule.flat_price)}元。"
    tou = facts.residential.time_of_use
    return (f"居民峰谷电价高峰时段{hours_words(tou.peak_hours)}每度{_price(tou.peak_price)}元，"
            f"低谷时段{hours_words(tou.valley_hours)}每度{_price(tou.valley_price)}元（第一档价格，第二、三档另加阶梯加价）。")


def _energy_cost(q: FigureQuestion) -> str:
    if q.kwh is None:  # read_figure_question asks for an energy cost only with the kWh
        raise ValueError("an energy-cost question without its kWh")
    cost = get_gateway().energy_cost(q.kwh, q.prior_kwh or Decimal(0), q.large_household, q.low_income)
    lines = "；".join(
        f"{line.label}{kwh(line.kwh)}×{_price(line.price)}元={money(line.amount)}"
        if line.kwh is not None and line.price is not None
        else f"{line.label}{money(line.amount)}"
        for line in cost.lines
    )
    before = f"今年已用{kwh(cost.prior_kwh_this_year)}，" if cost.prior_kwh_this_year else ""
    return f"按居民阶梯电价，{before}这个月用{kwh(cost.kwh)}：{lines}，合计{money(cost.total)}。"


def _demand_charge(q: FigureQuestion) -> str:
    if q.kw is None:  # read_figure_question asks for a demand charge only with the kW
        raise ValueError("a demand-charge question without its kW")
    charge = get_gateway().demand_charge(q.kw)
    return (f"大工业两部制的基本电费按当月最大需量计收：{_price(charge.max_demand_kw)}千瓦×"
            f"{_price(charge.price_per_kw_month)}元/千瓦·月={money(charge.amount)}。电度电费和功率因数调整电费另计。")


WORDING = {
    "late_fee": _late_fee,
    "tier_price": _tier_price,
    "tou_price": _tou_price,
    "energy_cost": _energy_cost,
    "demand_charge": _demand_charge,
}


def figure_reply(tracker: Tracker, text: str) -> tuple[str, str, dict[str, Any]] | None:
    """(the figure and how it was reached, the question naming its rule, the question to
    remember for a follow-up), or None when ``text`` asks for no figure."""
    previous = FigureQuestion.from_slot(tracker.get_slot(SLOT))
    question = merge(read_figure_question(text), text, previous)
    if question is None:
        return None
    try:
        words = WORDING[question.kind](question)
    except CoreError:  # a figure the engine refuses (an absurd amount): explain the rule instead
        return None
    return words, RULE_QUESTIONS[question.kind], question.as_slot()
