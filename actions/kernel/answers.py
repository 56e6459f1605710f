"""The customer's reply to the question a form just asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

from actions.kernel.events import latest_intent, latest_text
from actions.parsers.digits import find_account_no, normalize_digits
from textnorm.noise import is_noise


def reply_to(tracker: Tracker, slot: str, parse: Callable[[str], Any]) -> dict[str, Any]:
    """What the latest message gives ``slot``, read whatever intent NLU saw.

    A value ``parse`` recognises fills the slot. A reply meant as an answer but holding
    none (a bare value NLU called inform, or digits of the wrong length) fills it with
    the raw text, so that validation can say what is expected; anything else (算了,
    转人工, a question) fills nothing and the rules for leaving a form take over.
    """
    if tracker.get_slot("requested_slot") != slot:
        return {}
    text = latest_text(tracker)
    value = parse(text)
    if value:
        return {slot: value}
    if find_account_no(text) or is_noise(text):  # an account number is for the identity check; noise says nothing
        return {}
    if latest_intent(tracker) == "inform" or any(c.isdigit() for c in normalize_digits(text)):
        return {slot: text}
    return {}
