"""绑定户号: verify once, then tell the hub which account this chat user controls.

The bot itself remembers the account for the conversation; a channel that keeps
bindings across conversations (the WeChat official account) can store the
``bind_account`` custom message the hub receives.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.account.base import AccountAction
from actions.kernel.channel import channel_of, say
from backend_core.gateway.interfaces import CoreGateway


class ActionBindAccount(AccountAction):
    action_name = "action_bind_account"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        say(
            dispatcher,
            tracker,
            f"户号{account_no}已核验并与当前对话绑定，接下来查询账单、余额、用电量都不需要再输入手机号后4位。",
        )
        dispatcher.utter_message(json_message={"bind_account": {"account_no": account_no, "channel": channel_of(tracker)}})
        return []
