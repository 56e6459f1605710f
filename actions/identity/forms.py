"""Identity verification: 户号 plus the last 4 digits of the registered mobile.

Both values are taken from whatever message holds them, whatever intent NLU saw and
whichever was asked for: 「户号3300012345，尾号8000」 in one line verifies at once. A
failed check keeps the account number and asks only for the last 4 digits again, so
「刚才打错了，应该是8000」 corrects what was wrong; a new account number replaces the
old one. A failed check says the same thing whether the account exists or not, and
names neither the account holder nor which of the two values was wrong.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import timedelta
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.digressions import AnswersQuestions, is_digression
from actions.identity.gate import as_local, locked_until, verified_for
from actions.kernel.base import AskAction, apologize
from actions.kernel.channel import say
from actions.kernel.clock import now
from actions.kernel.events import latest_intent, latest_text
from actions.kernel.facts import service_facts
from actions.kernel.gateway import get_gateway
from actions.parsers.digits import find_account_no, find_last4, normalize_digits
from backend_core.gateway.interfaces import CoreError, NotFound
from textnorm.noise import is_noise

log = logging.getLogger(__name__)

WAY_OUT = "如果一时找不到，可以说“转人工”，或者说“算了”先不查。"
BAD_ACCOUNT = "没有识别到户号：户号是10位或13位数字，可以在电费通知单或缴费凭证上找到。" + WAY_OUT
BAD_LAST4 = "没有识别到4位数字。记不清登记手机号的话，可以说“转人工”，由客服核对其他信息。"
MISMATCH = (
    "户号与手机号后4位核对不一致，核验未通过（还可以再试{left}次）。为保护您的信息，我们不提示具体哪一项有误。"
    "如果户号输错了，直接发正确的户号就可以。"
)
VERIFIED = "身份核验通过。"
# Replies that are meant as a value: a digit in them, or NLU saw a bare value.
_ANSWER_INTENTS = ("inform", "nlu_fallback")


def _meant_as_answer(tracker: Tracker) -> bool:
    """A reply that holds no valid value but was meant as one: validation then says
    what is expected (a question about the check is answered instead)."""
    if is_noise(latest_text(tracker)) or is_digression(tracker, own_words=ValidateIdentityForm.own_words):
        return False  # noise is not understood (the fallback counts it); a question is answered
    return latest_intent(tracker) in _ANSWER_INTENTS or any(c.isdigit() for c in normalize_digits(latest_text(tracker)))


class ValidateIdentityForm(AnswersQuestions, FormValidationAction):
    """Collects 户号 and 手机后4位 and asks the core whether they belong together."""

    own_words = re.compile(r"户号|尾号|后四位|后4位|手机号|号码|核验|验证|身份|隐私|安全|泄露")

    def name(self) -> str:
        return "validate_identity_form"

    def topic(self, tracker: Tracker) -> str:
        return "身份核验 户号和手机号后4位"

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

    def extract_account_no(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """A 10- or 13-digit number in any message; an unreadable answer to the question
        is kept so that validation can say what a 户号 looks like."""
        account = find_account_no(latest_text(tracker))
        if account:
            return {"account_no": account}
        asked = tracker.get_slot("requested_slot") == "account_no"
        if asked and _meant_as_answer(tracker) and find_last4(latest_text(tracker), asked=True) is None:
            return {"account_no": latest_text(tracker)}
        return {}

    def extract_phone_last4(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """Four digits named as the phone's tail, beside an account number, or asked for."""
        requested = tracker.get_slot("requested_slot")
        asked = requested == "phone_last4"
        # the first question asks for both values: four digits alone then are the phone's
        last4 = find_last4(latest_text(tracker), asked=requested in ("phone_last4", "account_no"))
        if last4:
            return {"phone_last4": last4}
        if asked and _meant_as_answer(tracker) and not find_account_no(latest_text(tracker)):
            return {"phone_last4": latest_text(tracker)}
        return {}

    async def validate_account_no(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        account = find_account_no(str(value or ""))
        if not account:
            say(dispatcher, tracker, BAD_ACCOUNT)
            return {"account_no": None}
        last4 = tracker.get_slot("phone_last4")
        if last4 and "phone_last4" not in tracker.slots_to_validate():  # the last 4 digits came first
            return await asyncio.to_thread(self._check, account, last4, dispatcher, tracker)  # asks the core
        return {"account_no": account}

    async def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        last4 = find_last4(str(value or ""), asked=True)
        if not last4:
            say(dispatcher, tracker, BAD_LAST4)
            return {"phone_last4": None}
        account = find_account_no(tracker.get_slot("account_no") or "")
        if not account:
            return {"phone_last4": last4}  # kept until the account number comes
        return await asyncio.to_thread(self._check, account, last4, dispatcher, tracker)

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
        attempts_left = service_facts().identity_max_failures - failures if result is None else result.attempts_left
        if (result is not None and result.reason == "locked") or attempts_left <= 0:
            until = (as_local(result.locked_until) if result is not None and result.locked_until
                     else now() + timedelta(minutes=service_facts().identity_lock_minutes))
            # the lock message comes from action_resume_pending once the form has ended
            return {"account_no": None, "phone_last4": None, "identity_failures": float(failures),
                    "identity_locked_until": until.isoformat()}
        say(dispatcher, tracker, MISMATCH.format(left=attempts_left))
        # the account stays: a corrected last 4 digits alone is checked again with it
        return {"account_no": account, "phone_last4": None, "identity_failures": float(failures)}


class ActionAskAccountNo(AskAction):
    slot = "account_no"
    first = "为保护您的用电信息，请先提供户号（10位或13位数字，电费通知单和缴费凭证上都有）和登记手机号的后4位。"
    again = "请重新输入户号（10位或13位数字）。"


class ActionAskPhoneLast4(AskAction):
    slot = "phone_last4"
    first = "请再告诉我该户号登记手机号的后4位，用于核验身份。"
    again = "请重新输入登记手机号的后4位数字。"
