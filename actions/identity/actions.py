"""What happens once the identity form ends: the pending request, or why it stopped."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff.offers import offer_human
from actions.identity.gate import locked_until, verified_for
from actions.kernel.base import SafeAction
from actions.kernel.channel import say
from actions.kernel.facts import service_facts
from actions.wording.fmt import time_label


class ActionResumePending(SafeAction):
    """After the identity form: run what the customer asked for, or explain the lock."""

    action_name = "action_resume_pending"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        pending = tracker.get_slot("pending_action")
        events: list[EventType] = [SlotSet("pending_action", None)]
        if verified_for(tracker):
            if pending:
                return events + [FollowupAction(pending)]
            say(dispatcher, tracker, "请问您想查询什么？可以说“查电费”“查余额”或“查用电量”。")
            return events
        until = locked_until(tracker)
        if not until:
            say(dispatcher, tracker, "身份还没有核验，需要查询账单、余额等信息时，随时告诉我。")
            return events
        facts = service_facts()
        text = (
            f"为保护账户安全，身份核验连续{facts.identity_max_failures}次未通过，{facts.identity_lock_minutes}分钟内暂停核验，"
            f"请在{time_label(until)}以后再试。"
            "人工客服可以通过核对户名、用电地址等信息帮您办理。"
        )
        return events + offer_human(dispatcher, tracker, "identity_lockout", text)
