"""Consumption: monthly kWh, the annual tiers, why a bill is high, and time-of-use advice."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.account.base import AccountAction, requested_period, shown
from actions.kernel.channel import say, show
from actions.kernel.facts import tariff_facts
from actions.wording.cards import months_chart
from actions.wording.fmt import TIER_NAMES, kwh, money, month_label, price, short_month
from actions.wording.requests import hours_words
from backend_core.gateway.interfaces import CoreGateway, NotFound, TariffFacts, Usage


def tier_prices_words(facts: TariffFacts) -> str:
    """第一档每度0.538元，第二档0.588元，第三档0.838元."""
    return "，".join(
        f"{TIER_NAMES[i + 1]}每度{price(p).removesuffix('元/度')}元" for i, p in enumerate(facts.residential.tier_prices)
    )


def tier_text(usage: Usage) -> str:
    """Where the year's running total stands in this account's annual tiers."""
    if not usage.tier_thresholds_kwh:
        return ""
    first, second = usage.tier_thresholds_kwh[:2]
    text = (
        f"今年1月以来累计用电{kwh(usage.year_to_date_kwh)}，目前处于{TIER_NAMES[usage.current_tier]}"
        f"（您户的第一档为全年{kwh(first)}以内，第二档到{kwh(second)}）"
    )
    if usage.kwh_to_next_tier is not None and usage.current_tier < 3:
        text += f"，再用{kwh(usage.kwh_to_next_tier)}进入{TIER_NAMES[usage.current_tier + 1]}"
    return text + "。"


class ActionQueryUsage(AccountAction):
    action_name = "action_query_usage"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        span = requested_period(tracker)
        usage = gateway.get_usage(account_no, span.first if span else None, span.last if span else None)
        months = [m for m in usage.months if span is None or span.first <= m.period <= span.last]
        if span is None:
            months = months[-1:]
        if not months:
            label = month_label(span.first) if span else "近期"
            say(dispatcher, tracker, f"还没有{label}的用电记录（每月的电量在次月1日结算）。{tier_text(usage)}")
            return []
        if len(months) == 1:
            month = months[0]
            cost = f"，电费{money(month.amount)}" if month.amount is not None else ""
            head = f"{month_label(month.period)}用电{kwh(month.kwh)}{cost}。"
        else:
            rows = "\n".join(f"· {month_label(m.period)}：{kwh(m.kwh)}" for m in months)
            total = sum((m.kwh for m in months), Decimal(0))
            head = f"{month_label(months[0].period)}至{month_label(months[-1].period)}的用电：\n{rows}\n合计{kwh(total)}。\n"
        say(dispatcher, tracker, head + tier_text(usage))
        if len(months) >= 2:  # a trend over months: the same months as a chart on the web
            show(dispatcher, tracker, months_chart(months))
        return shown(months[-1].period)


class ActionQueryTierStatus(AccountAction):
    action_name = "action_query_tier_status"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        usage = gateway.get_usage(account_no)
        text = tier_text(usage)
        if not text:
            say(dispatcher, tracker, "您的户号执行的不是居民阶梯电价，没有阶梯档位。")
            return []
        say(dispatcher, tracker, f"{text}阶梯按自然年累计，每年1月1日重新计算；{tier_prices_words(tariff_facts())}。")
        return []


class ActionExplainBill(AccountAction):
    """Why a bill is what it is: comparison, tiers, peak share, in the core's own findings."""

    action_name = "action_explain_bill"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        span = requested_period(tracker)
        try:
            found = gateway.explain_bill(account_no, span.last if span else None)
        except NotFound:
            found = gateway.explain_bill(account_no)
        head = f"您{month_label(found.period)}的电费是{money(found.total)}，用电{kwh(found.kwh)}"
        if found.same_month_last_year is not None:
            head += f"；去年同月用电{kwh(found.same_month_last_year.kwh)}"
        lines = [head + "。"]
        if found.previous_months:
            recent = "、".join(f"{short_month(m.period)}{kwh(m.kwh)}" for m in found.previous_months)
            lines.append(f"前几个月：{recent}。")
        lines += [f"· {reason}" for reason in found.reasons[:3]]
        lines.append("如果您觉得电量和实际用电明显不符，可以申请电表校验。")
        say(
            dispatcher,
            tracker,
            "\n".join(lines),
            buttons=(("申请电表校验", "/apply_meter_check"), ("峰谷电价是否划算", "/ask_tou_advice")),
        )
        return shown(found.period)


class ActionTouAdvice(AccountAction):
    """Would time-of-use pricing have saved money, on this customer's own readings."""

    action_name = "action_tou_advice"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        advice = gateway.tou_advice(account_no)
        if not advice.months_compared:
            say(dispatcher, tracker, advice.note or "暂时没有足够的用电数据来测算峰谷电价。")
            return []
        months = f"{month_label(advice.months_compared[0])}至{month_label(advice.months_compared[-1])}"
        figures = (
            f"按您{months}的实际用电测算（谷时段{hours_words(tariff_facts().residential.time_of_use.valley_hours)}"
            f"用电占{advice.valley_share_pct}%）："
            f"不分时电费{money(advice.flat_total)}，峰谷电价{money(advice.tou_total)}。"
        )
        if advice.already_on_tou:
            verdict = (
                f"您已执行峰谷电价，这段时间比不分时电价{'节省' if advice.saving >= 0 else '多花'}{money(abs(advice.saving))}。"
            )
            say(dispatcher, tracker, figures + verdict)
            return []
        if not advice.eligible:
            say(dispatcher, tracker, figures + (advice.note or "您的户号暂不符合申请条件。"))
            return []
        if advice.saving > 0:
            verdict = (
                f"执行峰谷电价可省{money(advice.saving)}，比较划算。"
                "峰谷电价需要申请，次月起执行，至少执行12个月。"
            )
            say(dispatcher, tracker, figures + verdict, buttons=(("办理峰谷电价", "/apply_tou"),))
            return []
        say(
            dispatcher,
            tracker,
            figures + f"执行峰谷电价反而会多花{money(-advice.saving)}，按您目前的用电习惯暂不建议办理。",
        )
        return []
