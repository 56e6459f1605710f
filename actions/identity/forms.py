"""Identity verification: 户号 plus the last 4 digits of the registered mobile.

Account data is shown only to a customer who proved control of the account
(service_rules.yml, identity_and_privacy). The check runs in the core
(``verify_identity``), which also enforces the lock; the bot mirrors it so that it
never asks again once verified and never invites attempts while locked.

A failed check says the same thing whether the account exists or not, and
names neither the account holder nor which of the two values was wrong.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kernel.base import AskAction, SafeAction, apologize, extract_answer
from actions.kernel.channel import say
from actions.kernel.clock import LOCAL_TZ, now
from actions.parsers.digits import find_account_no, find_last4
from actions.kernel.gateway import get_gateway
from actions.handoff.offers import offer_human
from backend_core.gateway.interfaces import CoreError, NotFound

log = logging.getLogger(__name__)

MAX_FAILURES = 3
LOCK = timedelta(minutes=30)
WAY_OUT = "如果一时找不到，可以说“转人工”，或者说“算了”先不查。"
BAD_ACCOUNT = "没有识别到户号：户号是10位或13位数字，可以在电费通知单或缴费凭证上找到。" + WAY_OUT
BAD_LAST4 = "没有识别到4位数字。记不清登记手机号的话，可以说“转人工”，由客服核对其他信息。"
MISMATCH = "户号与手机号后4位核对不一致，核验未通过（还可以再试{left}次）。为保护用户信息，我们不提示具体哪一项有误。"
VERIFIED = "身份核验通过。"


def verified_for(tracker: Tracker) -> str | None:
    """The verified account, unless the customer has since named a different one."""
    verified = tracker.get_slot("verified_account")
    wanted = tracker.get_slot("account_no")
    if verified and (not wanted or wanted == verified):
        return verified
    return None


def locked_until(tracker: Tracker) -> datetime | None:
    """End of the current lock, or None when checks are allowed."""
    value = tracker.get_slot("identity_locked_until")
    if not value:
        return None
    try:
        until = datetime.fromisoformat(value)
    except ValueError:
        return None
    until = until if until.tzinfo else until.replace(tzinfo=LOCAL_TZ)
    return until if until > now() else None


def require_identity(tracker: Tracker, resume: str) -> list[EventType] | None:
    """None when the customer is verified; otherwise the events that verify first.

    ``resume`` (an action or a form) runs again once the identity form completes.
    """
    if verified_for(tracker):
        return None
    return [SlotSet("pending_action", resume), FollowupAction("identity_form")]


def _as_local(value: datetime) -> datetime:
    """The core speaks naive local time; the bot keeps aware times."""
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


class ValidateIdentityForm(FormValidationAction):
    """Collects 户号 then 手机后4位 and asks the core whether they belong together."""

    def name(self) -> str:
        return "validate_identity_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            return await super().run(dispatcher, tracker, domain)
        except Exception:  # end the form politely; action_resume_pending then stops
            log.exception("identity check failed in conversation %s", tracker.sender_id)
            apologize(dispatcher, tracker)
            return [SlotSet("account_no", None), SlotSet("phone_last4", None), SlotSet("requested_slot", None)]

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if verified_for(tracker) or locked_until(tracker):
            return []
        return domain_slots

    # Digits typed or spoken while a value is asked for count whatever intent NLU saw.
    def extract_account_no(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return extract_answer(tracker, "account_no", find_account_no)

    def extract_phone_last4(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return extract_answer(tracker, "phone_last4", find_last4)

    def validate_account_no(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        account = find_account_no(str(value or ""))
        if not account:
            say(dispatcher, tracker, BAD_ACCOUNT)
            return {"account_no": None}
        last4 = find_last4(tracker.get_slot("phone_last4") or "")
        if last4 and "phone_last4" not in tracker.slots_to_validate():  # the last 4 digits came first
            return self._check(account, last4, dispatcher, tracker)
        return {"account_no": account}

    def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        last4 = find_last4(str(value or ""))
        if not last4:
            say(dispatcher, tracker, BAD_LAST4)
            return {"phone_last4": None}
        account = find_account_no(tracker.get_slot("account_no") or "")
        if not account:
            return {"phone_last4": last4}
        return self._check(account, last4, dispatcher, tracker)

    def _check(self, account: str, last4: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        failures = int(tracker.get_slot("identity_failures") or 0)
        if tracker.get_slot("identity_locked_until") and not locked_until(tracker):
            failures = 0  # an expired lock starts a fresh count, as in the core
        try:
            result = get_gateway().verify_identity(account, last4, session_id=tracker.sender_id)
        except NotFound:  # a core that reports unknown accounts: same answer as a mismatch
            result = None
        except CoreError as error:
            if error.code in ("invalid_input", "bad_account_no", "bad_phone_last4"):
                say(dispatcher, tracker, BAD_LAST4)
                return {"phone_last4": None}
            raise
        if result is not None and result.verified:
            say(dispatcher, tracker, VERIFIED)
            return {"verified_account": account, "account_no": account, "phone_last4": None, "identity_failures": 0.0}
        if result is not None and result.reason == "invalid_input":
            say(dispatcher, tracker, BAD_LAST4)
            return {"phone_last4": None}
        failures += 1
        # the core's count is the truth; our own count only stands in when it gave none
        attempts_left = MAX_FAILURES - failures if result is None else result.attempts_left
        cleared = {"account_no": None, "phone_last4": None, "identity_failures": float(failures)}
        if (result is not None and result.reason == "locked") or attempts_left <= 0:
            until = _as_local(result.locked_until) if result is not None and result.locked_until else now() + LOCK
            # the lock message comes from action_resume_pending once the form has ended
            return {**cleared, "identity_locked_until": until.isoformat()}
        say(dispatcher, tracker, MISMATCH.format(left=attempts_left))
        return cleared


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
        text = (
            f"为保护账户安全，身份核验连续{MAX_FAILURES}次未通过，30分钟内暂停核验，"
            f"请在{until.astimezone(LOCAL_TZ):%H:%M}以后再试。"
            "人工客服可以通过核对户名、用电地址等信息帮您办理。"
        )
        return events + offer_human(dispatcher, tracker, "identity_lockout", text)


class ActionAskAccountNo(AskAction):
    slot = "account_no"
    first = "为保护您的用电信息，请先提供户号（10位或13位数字，电费通知单和缴费凭证上都有）。"
    again = "请重新输入户号。"


class ActionAskPhoneLast4(AskAction):
    slot = "phone_last4"
    first = "请再告诉我该户号登记手机号的后4位，用于核验身份。"
    again = "请重新输入登记手机号的后4位数字。"
