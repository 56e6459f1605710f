"""Conversation control: greeting, bare values outside a form, cancelling, offers that expire."""

from __future__ import annotations

from rasa_sdk import Tracker, ValidationAction
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.account.base import ACCOUNT_ACTIONS, ACCOUNT_GUIDES
from actions.handoff.offers import (
    agent_hours_words,
    leave_form,
    offer_human,
    topic_intent,
)
from actions.identity.gate import require_identity
from actions.kernel.base import SafeAction
from actions.kernel.channel import Button, say
from actions.kernel.clock import today
from actions.kernel.events import (
    last_answer_among,
    latest_intent,
    latest_text,
    slot_set_in_previous_turn,
)
from actions.parsers.digits import find_account_no, find_mobile
from actions.parsers.periods import parse_period
from actions.requests.catalog import TASKS, Account
from actions.wording.fmt import month_label

MAIN_MENU: tuple[Button, ...] = (
    ("查电费", "/query_bill"),
    ("查余额", "/query_balance"),
    ("查欠费", "/query_arrears"),
    ("停电报修", "/report_outage"),
    ("转人工", "/request_human"),
)
# Answers that depend on a month: a month said on its own right after one repeats it.
PERIOD_ACTIONS = ("action_query_bill", "action_query_usage", "action_explain_bill")
_FORM_SLOTS = {
    "complaint_form": ("complaint_detail", "callback_phone"),
    "callback_form": ("callback_phone",),
    "identity_form": ("account_no", "phone_last4"),
}


class ActionGreet(SafeAction):
    action_name = "action_greet"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(
            dispatcher,
            tracker,
            "您好，我是示例省电力公司智能客服。我可以帮您查电费账单、余额和欠费，查用电量和阶梯档位，"
            "查询停电、报修，办理用电业务，也能解答电价和用电政策。请问有什么可以帮您？",
            buttons=MAIN_MENU,
        )
        return []


class ActionBotIdentity(SafeAction):
    """你是机器人吗: yes, and how to reach a person (the agents' hours come from the core)."""

    action_name = "action_bot_identity"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(
            dispatcher,
            tracker,
            "我是示例省电力公司的智能客服，可以帮您查电费、查余额和欠费、查停电，也能办理常见的用电业务。"
            f"需要人工服务时，说“转人工”就可以（人工服务时间为{agent_hours_words()}）。",
        )
        return []


class ActionHandleInform(SafeAction):
    """A value given with no question (a bare 户号, a month, a phone): ask what it is for."""

    action_name = "action_handle_inform"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker)
        entities = {e.get("entity"): e.get("value") for e in (tracker.latest_message or {}).get("entities") or []}
        period = parse_period(entities.get("period") or text, today(), tracker.get_slot("shown_period"))
        repeat = last_answer_among(tracker, PERIOD_ACTIONS)
        if period and repeat:
            return [FollowupAction(repeat)]
        account = find_account_no(entities.get("account_no") or text)
        if account:
            return self._verify(dispatcher, tracker, account)
        if period:
            label = month_label(period.first) if period.single else f"{month_label(period.first)}至{month_label(period.last)}"
            say(
                dispatcher,
                tracker,
                f"您是想查{label}的电费账单，还是用电量？",
                buttons=(("电费账单", "/query_bill"), ("用电量", "/query_usage")),
            )
            return []
        if find_mobile(text):
            say(dispatcher, tracker, "收到您的手机号。请问您想办理什么业务？", buttons=MAIN_MENU)
            return []
        say(dispatcher, tracker, "收到。请问您想查询或办理什么？可以直接说“查上个月电费”或“我家停电了”。", buttons=MAIN_MENU)
        return []


    @staticmethod
    def _verify(dispatcher: CollectingDispatcher, tracker: Tracker, account: str) -> list[EventType]:
        """An account number given outside the identity check: check it now, then go on
        with what the customer was doing (the form this message interrupted, or the last
        account question), or ask what they want."""
        loop = tracker.active_loop_name
        last = topic_intent(tracker)
        resume = (loop if loop and loop != "identity_form"
                  else ACCOUNT_ACTIONS.get(last or "") or ACCOUNT_GUIDES.get(tracker.get_slot("kb_context") or ""))
        task: list[EventType] = []
        if resume is None and last in TASKS and TASKS[last].account is not Account.NONE:
            resume = TASKS[last].target  # the request asked again, now for the verified account
            task = [SlotSet("service_task", last)]
        gate = require_identity(tracker, resume) if tracker.get_slot("verified_account") != account else None
        if gate is None:
            say(dispatcher, tracker, "这个户号已经核验过了。请问您想查询或办理什么？", buttons=MAIN_MENU)
            return [SlotSet("account_no", account)]
        return [SlotSet("account_no", account), SlotSet("requested_slot", None)] + task + gate


class ActionCancelTask(SafeAction):
    """Stop whatever is being collected; for a forgotten phone number, offer an agent."""

    action_name = "action_cancel_task"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        loop = tracker.active_loop_name
        events = leave_form(tracker) or [SlotSet("pending_action", None)]
        events += [SlotSet(slot, None) for slot in _FORM_SLOTS.get(loop or "", ())]
        if loop == "identity_form" and latest_intent(tracker) == "deny":
            return events + offer_human(
                dispatcher,
                tracker,
                "requested",
                "没关系。记不清登记手机号的话，人工客服可以通过核对户名和用电地址帮您查询，"
                "户主也可以带身份证到营业厅办理。",
            )
        if loop:
            say(dispatcher, tracker, "好的，已经取消了。还有什么可以帮您？")
        else:
            say(dispatcher, tracker, "好的。目前没有正在办理的事项，还有什么可以帮您？")
        return events


class ActionDeclineOffer(SafeAction):
    action_name = "action_decline_offer"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, tracker, "好的。还有其他问题，随时可以问我。")
        return []


class ActionValidateSlotMappings(ValidationAction):
    """Runs after every customer message: an offer of a human lasts one turn only.

    Without this, a "好的" said minutes later about something else would still
    accept an old offer and hand the conversation over.
    """

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return ["handoff_offer"]

    def extract_handoff_offer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        if tracker.get_slot("handoff_offer") is None:
            return {}
        if slot_set_in_previous_turn(tracker, "handoff_offer") is not None and latest_intent(tracker) in ("affirm", "deny"):
            return {}
        return {"handoff_offer": None}
