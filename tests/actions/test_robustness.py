"""Whatever the customer sends and whatever fails behind it, every action answers and never raises."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa_sdk import Action

import actions.account.base
import actions.account.billing
import actions.account.binding
import actions.account.usage
import actions.dialogue.conversation
import actions.dialogue.fallback
import actions.dialogue.knowledge
import actions.handoff.complaint
import actions.handoff.human
import actions.identity.forms
import actions.kernel.base
from actions.kernel.channel import for_voice
from actions.kernel.gateway import use_gateway
from actions.parsers.digits import find_account_no, find_last4, find_mobile
from actions.parsers.periods import parse_period
from tests.actions.support import ZHANG_SAN, Conversation, verified

MODULES = [
    actions.account.base,
    actions.kernel.base,
    actions.account.billing,
    actions.account.binding,
    actions.handoff.complaint,
    actions.dialogue.conversation,
    actions.dialogue.fallback,
    actions.handoff.human,
    actions.identity.forms,
    actions.dialogue.knowledge,
    actions.account.usage,
]
# Actions that answer a customer message (validators and the per-turn hook answer the form).
ANSWERING = [
    cls
    for module in MODULES
    for _, cls in inspect.getmembers(module, inspect.isclass)
    if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls)
    and not cls().name().startswith("validate_") and cls().name() != "action_validate_slot_mappings"
]


def test_the_action_server_can_register_every_action() -> None:
    """rasa_sdk instantiates every concrete Action subclass; a half-built base class breaks the server."""
    for module in MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                assert cls().name()


BAD_INPUTS = [
    "",
    "电" * 5000,
    "😡😡😡",
    "1234567",
    "<script>alert('x')</script>",
    "hello 我的bill怎么这么high？",
    "\u0000\ufffd\u202e",
]


class BrokenCore:
    """A core that is down: every call fails."""

    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise ConnectionError("core unreachable")

        return fail


@pytest.mark.parametrize("text", BAD_INPUTS)
@pytest.mark.parametrize("action", ANSWERING, ids=lambda cls: cls().name())
def test_every_action_answers_bad_input(core, action, text: str) -> None:
    for conversation in (Conversation(), verified(Conversation(channel="voice"), ZHANG_SAN)):
        result = conversation.user(text, "nlu_fallback", ranking=[("nlu_fallback", 0.9)]).run(action())
        assert result.messages or result.followup, action().name()
        assert all(m.get("text") or m.get("custom") for m in result.messages)


@pytest.mark.parametrize("action", ANSWERING, ids=lambda cls: cls().name())
def test_a_core_that_is_down_gets_an_apology_not_an_error(action) -> None:
    use_gateway(BrokenCore())
    try:
        conversation = verified(Conversation(), ZHANG_SAN).set(
            complaint_detail="抄表员态度很差，还乱收费", callback_phone="13812345678"
        )
        result = conversation.user("上个月电费多少", "query_bill").run(action())
    finally:
        use_gateway(None)
    assert result.messages or result.followup
    assert "Error" not in result.text and "Traceback" not in result.text


@given(st.text(max_size=300))
def test_readers_of_free_text_never_raise(text: str) -> None:
    parse_period(text, date(2026, 11, 21))
    find_account_no(text)
    find_last4(text)
    find_mobile(text)
    for_voice(text)
