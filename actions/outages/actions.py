"""Outages and hazards: why the power is off, when it returns, what is planned, urgent repairs.

A verified customer is looked up by account (feeder, transformer area and meter);
anyone else by the address they give (outage_form asks it). A repair order is
created only when nothing known explains the outage (service_rules.yml,
report_outage); a hazard gets an urgent order at once.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.also_asked import AlsoAnswers
from actions.handoff.offers import offer_human
from actions.identity.gate import verified_account, verified_for
from actions.kernel.base import SafeAction
from actions.kernel.channel import channel_of, say
from actions.kernel.events import filled_slot, latest_intent, text_of_latest
from actions.kernel.facts import service_facts, tariff_facts
from actions.kernel.gateway import get_gateway
from actions.requests.orders import create_service_order
from actions.wording.fmt import (
    masked_phone,
    moment_label,
    money,
    plain_area,
    plain_reason,
    time_label,
)
from actions.wording.requests import SAFETY_ADVICE, account_words
from backend_core.gateway.interfaces import Outage, WorkOrder

OUTAGE_KINDS = {"planned": "计划停电", "temporary": "临时检修停电", "fault": "故障停电"}
PAY_CHANNELS = "网上国网APP、微信、支付宝或营业厅"
PLANNED_DAYS_AHEAD = 14
DONE: list[EventType] = [SlotSet("service_task", None)]


def _where(tracker: Tracker) -> tuple[str | None, str | None]:
    """(verified account, address): how to look the customer's supply up."""
    account = verified_for(tracker)
    return account, None if account else tracker.get_slot("service_address")


def _find(tracker: Tracker, days_ahead: int) -> list[Outage]:
    account, address = _where(tracker)
    return get_gateway().find_outages(account_no=account, address=address, days_ahead=days_ahead)


def _restore_words(outage: Outage) -> str:
    restore = outage.estimated_restore or outage.end
    return f"预计{moment_label(restore)}恢复供电" if restore else "恢复时间还在评估，抢修人员正在处理"


def outage_now(outage: Outage) -> str:
    text = (
        f"很抱歉给您带来不便。{plain_area(outage.scope)}正在{OUTAGE_KINDS[outage.kind]}（{plain_reason(outage.reason)}），"
        f"从{moment_label(outage.start)}开始，{_restore_words(outage)}。"
    )
    if outage.kind == "fault":
        text += "抢修人员已经在处理，不需要重复报修。"
    return text


def _active(outages: list[Outage]) -> Outage | None:
    return next((o for o in outages if o.status == "active"), None)


def _arrival_minutes(order: WorkOrder) -> int | None:
    if order.deadline is None:
        return None
    return round((order.deadline - order.created_at).total_seconds() / 60)


def _arrival_words(order: WorkOrder) -> str:
    minutes = _arrival_minutes(order)
    if minutes is None or order.deadline is None:  # no deadline, no minutes
        return "抢修人员会尽快到达现场"
    by = time_label(order.deadline) if order.deadline.date() == order.created_at.date() else moment_label(order.deadline)
    return f"抢修人员会在{minutes}分钟内（{by}前）到达现场"


class ActionDiagnoseOutage(AlsoAnswers, SafeAction):
    """Ends outage_form for report_outage: a known cause, or a repair order (repair_form)."""

    action_name = "action_diagnose_outage"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        gateway = get_gateway()
        account, address = _where(tracker)
        if account:
            diagnosis = gateway.diagnose_outage(account)
            if diagnosis.outage is not None and diagnosis.cause in ("planned", "fault"):
                say(dispatcher, tracker, outage_now(diagnosis.outage))
                return DONE
            if diagnosis.cause == "prepaid_cutoff":
                balance = gateway.get_prepaid_status(account).balance
                say(
                    dispatcher,
                    tracker,
                    f"很抱歉让您停电了。查到原因：您家是预付费电表，目前余额{money(balance)}，余额不足电表已自动停电。"
                    f"充值到余额大于0后，{tariff_facts().prepaid.reconnect_within_hours}小时内会自动恢复供电。可以通过{PAY_CHANNELS}充值。",
                )
                return DONE
            if diagnosis.cause == "arrears_cutoff":
                arrears = gateway.get_arrears(account)
                say(
                    dispatcher,
                    tracker,
                    f"很抱歉让您停电了。查到原因：您的账户因欠费已停电，目前欠费{money(arrears.total)}"
                    f"（含违约金{money(arrears.late_fee)}）。结清欠费后，{service_facts().reconnection_after_arrears_paid_hours}小时内恢复供电。"
                    f"可以通过{PAY_CHANNELS}缴费。",
                )
                return DONE
            meter_note = "电表通信目前离线，" if diagnosis.meter_state == "offline" else "电表状态正常，"
        else:
            active = _active(gateway.find_outages(address=address, days_ahead=0))
            if active is not None:
                say(dispatcher, tracker, outage_now(active))
                return DONE
            meter_note = ""
        text = (
            f"系统里没有查到您那里有计划停电或故障停电，{meter_note}"
            "建议先看看家里的总开关和漏电保护器有没有跳闸，再问问邻居家有没有电。"
        )
        if not account:
            text += "如果您家是预付费电表，也可能是余额不足自动停电，告诉我户号核实身份后可以帮您查。"
        say(dispatcher, tracker, text + "我先为您登记报修。")
        return [FollowupAction("repair_form")]


class ActionCreateRepairOrder(SafeAction):
    """Ends repair_form: the repair order, with the arrival commitment of the area."""

    action_name = "action_create_repair_order"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        account, address = _where(tracker)
        phone = tracker.get_slot("contact_phone")
        fields = {"description": "客户报停电，未查到计划停电、故障停电或表计停电原因"}
        if address:
            fields["address"] = address
        order = create_service_order(tracker, "report_outage", fields, account, phone)
        contact = f"，到达前会打{masked_phone(phone)}联系您" if phone else ""
        say(dispatcher, tracker, f"已为您报修，工单号{order.ticket_no}。{_arrival_words(order)}{contact}。")
        return DONE


class ActionRestoreTime(AlsoAnswers, SafeAction):
    """Ends outage_form for query_restore_time."""

    action_name = "action_restore_time"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        active = _active(_find(tracker, days_ahead=0))
        if active is None:  # no power and no known outage: find out why, or send a crew
            return [SlotSet("service_task", "report_outage"), FollowupAction("action_diagnose_outage")]
        say(dispatcher, tracker, outage_now(active))
        return DONE


class ActionPlannedOutages(AlsoAnswers, SafeAction):
    """Ends outage_form for query_planned_outage: planned work in the next two weeks."""

    action_name = "action_planned_outages"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        planned = [o for o in _find(tracker, PLANNED_DAYS_AHEAD) if o.kind in ("planned", "temporary")]
        if not planned:
            say(
                dispatcher,
                tracker,
                f"未来{PLANNED_DAYS_AHEAD}天内没有查到您那里的停电安排。计划停电会至少提前{service_facts().planned_outage_notice_days}天公告，"
                "想收到通知的话，可以说“订阅停电通知”。",
            )
            return DONE
        lines = "\n".join(
            f"{moment_label(o.start)}至{moment_label(o.end) if o.end else '另行通知'}，"
            f"{plain_area(o.scope)}，{plain_reason(o.reason)}"
            for o in planned
        )
        say(
            dispatcher,
            tracker,
            f"查到{len(planned)}次停电安排：\n{lines}\n停电期间请关好电器开关，来电前不要靠近检修现场。",
        )
        return DONE


def _hazard_description(tracker: Tracker) -> str:
    """What the customer said about the hazard (the message that reported it)."""
    return text_of_latest(tracker, "report_hazard") or "客户报告安全隐患"


class ActionCreateHazardOrder(AlsoAnswers, SafeAction):
    """Ends hazard_form: an urgent order at once, safety advice, and a human offered."""

    action_name = "action_create_hazard_order"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        account = verified_for(tracker)
        phone = tracker.get_slot("contact_phone")
        fields = {"address": filled_slot(tracker, "service_address"), "description": _hazard_description(tracker)}
        order = create_service_order(tracker, "report_hazard", fields, account, phone, urgent=True)
        # Reported together with the place, the customer has not heard the advice yet.
        # Reported together with the place, the customer has not heard the advice yet: it comes first.
        order_text = f"已按紧急情况为您报修，工单号{order.ticket_no}，{_arrival_words(order)}。"
        if latest_intent(tracker) == "report_hazard":
            text = SAFETY_ADVICE + order_text
        else:
            text = order_text + "抢修人员到达前，请不要靠近，也不要自己处理。"
        return DONE + offer_human(dispatcher, tracker, "hazard", text)


class ActionSubscribeOutage(SafeAction):
    """Ends subscribe_form: WeChat followers on WeChat, everyone else by SMS."""

    action_name = "action_subscribe_outage"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        account = verified_account(tracker)
        channel = channel_of(tracker)
        if channel == "wechat":
            kind, target, how = "wechat", tracker.sender_id, "微信消息"
        else:
            kind, target = "sms", filled_slot(tracker, "contact_phone")
            how = f"短信（{masked_phone(target)}）"
        get_gateway().subscribe_outage_notice(account, kind, target)
        say(
            dispatcher,
            tracker,
            f"已为户号{account_words(account, channel == 'voice')}订阅停电通知。"
            f"该户所在线路有计划停电时，我们会通过{how}提前通知您，"
            f"计划停电至少提前{service_facts().planned_outage_notice_days}天公告。",
        )
        return DONE
