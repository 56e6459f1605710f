"""Handing a conversation to a human agent, or a call-back when no agent is on duty.

The hub does the handoff itself; the bot asks for it with a custom message
``{"handoff": {"reason", "intent", "slots"}}`` (dialogue contract). Agents work
in the hours service_rules.yml (or AGENT_HOURS) gives; outside them the bot offers a call-back work order instead.
An offer ("需要转人工吗？") is remembered in ``handoff_offer`` for one turn only.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.kernel.channel import say
from actions.kernel.clock import now
from actions.kernel.events import topic_intent as latest_topic
from actions.kernel.facts import service_facts
from backend_core.masking import mask_account

REASONS = ("requested", "fallback", "complaint", "hazard", "identity_lockout", "no_answer")
# Turns that carry no topic of their own: the handoff names the topic before them.
_CONTROL_INTENTS = frozenset({
    "affirm", "deny", "inform", "request_human", "nlu_fallback", "greet", "thank", "cancel", "goodbye",
})
YES_NO = (("需要", "/affirm"), ("不用了", "/deny"))


def topic_intent(tracker: Tracker) -> str | None:
    """The customer's most recent substantive intent, for the agent's context."""
    return latest_topic(tracker, _CONTROL_INTENTS)


def context_slots(tracker: Tracker) -> dict[str, str]:
    """Collected values an agent may see: account numbers masked, nothing personal."""
    values = {
        "verified_account": mask_account(tracker.get_slot("verified_account")),
        "account_no": mask_account(tracker.get_slot("account_no")),
        "period": tracker.get_slot("period"),
        "pending_action": tracker.get_slot("pending_action"),
    }
    return {key: value for key, value in values.items() if value}


def handoff_message(tracker: Tracker, reason: str) -> dict[str, Any]:
    return {"handoff": {"reason": reason, "intent": topic_intent(tracker), "slots": context_slots(tracker)}}


def agents_on_duty() -> bool:
    """Whether agents take hand-overs now (service_rules.yml, or AGENT_HOURS)."""
    return service_facts().agent_hours.agents_on_duty(now())


def agent_hours_words() -> str:
    """每天8:00-20:00, as a customer reads the agents' hours."""
    hours = service_facts().agent_hours
    return "全天24小时" if hours.always_staffed else f"每天{clock_words(hours.start)}-{clock_words(hours.end)}"


def clock_words(hhmm: str) -> str:
    """08:00 -> 8:00."""
    hours, minutes = hhmm.split(":")
    return f"{int(hours)}:{minutes}"


def off_hours() -> str:
    return f"人工客服的服务时间是{agent_hours_words()}，现在不在服务时间。"


def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, text: str | None = None) -> list[EventType]:
    """Ask the hub for an agent now, or offer a call-back outside agent hours."""
    if agents_on_duty():
        say(dispatcher, tracker, text or "好的，正在为您转接人工客服，请稍候。刚才的对话内容会一并转给客服。")
        dispatcher.utter_message(json_message=handoff_message(tracker, reason))
        return []
    say(dispatcher, tracker, off_hours() + "需要我为您登记回电吗？上班后客服会尽快给您打电话。", buttons=YES_NO)
    return [SlotSet("handoff_offer", "callback"), SlotSet("handoff_reason", reason)]


def offer_human(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, text: str) -> list[EventType]:
    """Say ``text`` and ask whether the customer wants an agent (a call-back off hours)."""
    if agents_on_duty():
        say(dispatcher, tracker, text + "需要为您转接人工客服吗？", buttons=YES_NO)
        return [SlotSet("handoff_offer", "human"), SlotSet("handoff_reason", reason)]
    say(dispatcher, tracker, text + off_hours() + "需要我为您登记回电吗？", buttons=YES_NO)
    return [SlotSet("handoff_offer", "callback"), SlotSet("handoff_reason", reason)]


def leave_form(tracker: Tracker) -> list[EventType]:
    """Events that end whatever form is running and forget what it was for."""
    if not tracker.active_loop_name:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("pending_action", None)]
