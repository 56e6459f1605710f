"""Identity verification against the seeded core: what a customer sees at each attempt."""

from __future__ import annotations

import re

import pytest

from actions.account.billing import ActionQueryBill
from actions.identity.actions import ActionResumePending
from actions.identity.forms import ActionAskAccountNo, ActionAskPhoneLast4, ValidateIdentityForm
from actions.identity.gate import require_identity
from tests.actions.support import LAST4, LI_SI, QIAN_QI, ZHANG_SAN, Conversation, later, verified

# Everything the core knows about 张三 that a stranger must never see.
ZHANG_SAN_SECRETS = ["张", "平阳路", "138", "8000", "152.88"]


def identity_form(conversation: Conversation) -> Conversation:
    conversation.loop = "identity_form"
    return conversation


def give(conversation: Conversation, account_no: str, last4: str) -> str:
    """The customer types the account number, then the last 4 digits; returns the bot's last reply."""
    form = ValidateIdentityForm()
    conversation.answer_form(form, "account_no", account_no)
    return conversation.answer_form(form, "phone_last4", last4).text


def test_unverified_customer_is_sent_to_the_identity_form() -> None:
    events = require_identity(Conversation().tracker(), "action_query_bill")
    assert events == [
        {"event": "slot", "timestamp": None, "name": "pending_action", "value": "action_query_bill"},
        {"event": "followup", "timestamp": None, "name": "identity_form"},
    ]


def test_verified_customer_is_never_asked_twice() -> None:
    assert require_identity(verified(Conversation(), ZHANG_SAN).tracker(), "action_query_bill") is None


def test_naming_another_account_asks_for_that_account_s_phone() -> None:
    conversation = verified(Conversation(), ZHANG_SAN).set(account_no=LI_SI)
    assert require_identity(conversation.tracker(), "action_query_balance") is not None


def test_right_digits_verify_and_forget_the_last4(core) -> None:
    conversation = identity_form(Conversation())
    reply = give(conversation, ZHANG_SAN, LAST4[ZHANG_SAN])
    assert "核验通过" in reply
    assert conversation.slots["verified_account"] == ZHANG_SAN
    assert conversation.slots["phone_last4"] is None
    assert core.is_verified(ZHANG_SAN, conversation.sender)


@pytest.mark.parametrize("account_no, wrong", [(ZHANG_SAN, "1234"), (LI_SI, "0000"), (QIAN_QI, "4321")])
def test_wrong_last4_reveals_nothing(core, account_no: str, wrong: str) -> None:
    conversation = identity_form(Conversation())
    reply = give(conversation, account_no, wrong)
    assert "不一致" in reply
    assert LAST4[account_no] not in reply and account_no not in reply
    assert not re.search(r"[张李钱]|路|村|\d+\.\d\d", reply)
    assert conversation.slots["verified_account"] is None


def test_unknown_account_gets_the_same_answer_as_a_wrong_phone(core) -> None:
    """A stranger cannot probe which account numbers exist."""
    existing = give(identity_form(Conversation()), ZHANG_SAN, "1234")
    unknown = give(identity_form(Conversation()), "3309999999", "1234")
    assert existing == unknown


def test_after_a_mismatch_only_the_last_4_digits_are_asked_again(core) -> None:
    conversation = identity_form(Conversation())
    mismatch = give(conversation, ZHANG_SAN, "1234")
    assert "户号输错了" in mismatch  # the customer may correct either value
    assert conversation.slots["account_no"] == ZHANG_SAN and conversation.slots["phone_last4"] is None
    assert "重新输入登记手机号的后4位" in conversation.run(ActionAskPhoneLast4()).text
    corrected = conversation.answer_form(ValidateIdentityForm(), "phone_last4", "刚才打错了，应该是8000")
    assert "核验通过" in corrected.text and conversation.slots["verified_account"] == ZHANG_SAN


def test_a_corrected_account_number_replaces_the_wrong_one(core) -> None:
    conversation = identity_form(Conversation())
    give(conversation, "3300012399", "8000")
    conversation.answer_form(ValidateIdentityForm(), "phone_last4", f"户号输错了，应该是{ZHANG_SAN}")
    assert conversation.slots["account_no"] == ZHANG_SAN and conversation.slots["phone_last4"] is None
    assert "核验通过" in conversation.answer_form(ValidateIdentityForm(), "phone_last4", "8000").text


def test_three_failures_lock_the_conversation_and_offer_a_human(core) -> None:
    conversation = identity_form(Conversation())
    for wrong in ("1111", "2222", "3333"):
        give(conversation, ZHANG_SAN, wrong)
    assert conversation.slots["identity_locked_until"]
    locked = conversation.run(ActionResumePending())
    assert "30分钟" in locked.text and "人工" in locked.text
    assert locked.slot("handoff_offer") == "human" and locked.slot("handoff_reason") == "identity_lockout"
    assert locked.followup is None
    assert not any(secret in locked.text for secret in ZHANG_SAN_SECRETS)


def test_while_locked_even_the_right_digits_show_nothing(core) -> None:
    conversation = identity_form(Conversation())
    for wrong in ("1111", "2222", "3333"):
        give(conversation, ZHANG_SAN, wrong)
    conversation.loop = None
    asked_again = conversation.user("查一下我的电费", "query_bill").run(ActionQueryBill())
    assert asked_again.followup == "identity_form"
    identity_form(conversation)
    conversation.user("3300012345", "inform")
    done = conversation.run(ValidateIdentityForm())
    assert done.slot("requested_slot") is None  # the form ends at once
    resumed = conversation.run(ActionResumePending())
    assert "152.88" not in resumed.text and resumed.followup is None
    assert "人工" in resumed.text


def test_the_lock_ends_after_30_minutes(core, core_clock, monkeypatch) -> None:
    from actions.kernel import clock

    conversation = identity_form(Conversation())
    for wrong in ("1111", "2222", "3333"):
        give(conversation, ZHANG_SAN, wrong)
    later(core_clock, 31)
    assert clock.pinned is not None
    monkeypatch.setattr(clock, "pinned", clock.pinned.replace(minute=31))
    assert "核验通过" in give(conversation, ZHANG_SAN, LAST4[ZHANG_SAN])


def test_verified_customer_gets_the_pending_answer_and_it_is_cleared(core) -> None:
    conversation = identity_form(Conversation()).set(pending_action="action_query_bill")
    give(conversation, ZHANG_SAN, LAST4[ZHANG_SAN])
    resumed = conversation.run(ActionResumePending())
    assert resumed.followup == "action_query_bill"
    assert resumed.slot("pending_action") is None


@pytest.mark.parametrize(
    "typed, expected",
    [("三三零零零一二三四五", ZHANG_SAN), ("3300 0123 45", ZHANG_SAN), ("我的户号是３３０００１２３４５", ZHANG_SAN)],
)
def test_account_numbers_are_read_however_they_are_written(core, typed: str, expected: str) -> None:
    conversation = identity_form(Conversation())
    conversation.answer_form(ValidateIdentityForm(), "account_no", typed)
    assert conversation.slots["account_no"] == expected


def test_a_full_phone_number_counts_as_its_last_4_digits(core) -> None:
    conversation = identity_form(Conversation())
    assert "核验通过" in give(conversation, ZHANG_SAN, "13800138000")


@pytest.mark.parametrize("typed", ["12345", "123456789", "<b>330001</b>", "我不知道"])
def test_something_that_is_no_account_number_is_asked_again_without_a_check(core, typed: str) -> None:
    conversation = identity_form(Conversation())
    reply = conversation.answer_form(ValidateIdentityForm(), "account_no", typed)
    assert "10位或13位" in reply.text
    assert conversation.slots["account_no"] is None
    assert not conversation.slots["identity_failures"]
    assert "重新输入户号" in conversation.run(ActionAskAccountNo()).text


def test_a_year_in_the_question_is_never_taken_for_the_last_4_digits(core) -> None:
    """"2026年9月的电费" contains four digits; they must not count as a failed attempt."""
    conversation = identity_form(Conversation()).user("2026年9月的电费", "query_bill")
    conversation.run(ValidateIdentityForm())
    assert conversation.slots["phone_last4"] is None and not conversation.slots["identity_failures"]


def test_the_questions_of_the_form(core) -> None:
    conversation = identity_form(Conversation()).user("查电费", "query_bill")
    assert "户号" in conversation.run(ActionAskAccountNo()).text
    assert "后4位" in conversation.run(ActionAskPhoneLast4()).text


def test_an_account_number_typed_when_the_phone_digits_are_asked_replaces_the_account(core) -> None:
    conversation = identity_form(Conversation())
    conversation.answer_form(ValidateIdentityForm(), "account_no", ZHANG_SAN)
    reply = conversation.answer_form(ValidateIdentityForm(), "phone_last4", LI_SI, account_no=LI_SI)
    assert reply.messages == [] and conversation.slots["account_no"] == LI_SI
    assert not conversation.slots["identity_failures"]


def test_four_digits_given_first_are_kept_until_the_account_number_comes(core) -> None:
    conversation = identity_form(Conversation())
    first = conversation.answer_form(ValidateIdentityForm(), "account_no", "尾号8000")
    assert first.messages == [] and conversation.slots["phone_last4"] == "8000"
    assert "核验通过" in conversation.answer_form(ValidateIdentityForm(), "account_no", ZHANG_SAN).text


@pytest.mark.parametrize(
    "message",
    [
        "户号3300012345，手机尾号8000，联系电话13700137002",
        "三三零零零幺二三四五 后四位八零零零",
        "户号：NO.3300-0123-45 后4位8000",
        "3300012345 8000",
    ],
)
def test_both_values_anywhere_in_one_message_verify_at_once(core, message: str) -> None:
    conversation = identity_form(Conversation()).set(requested_slot="account_no").user(message, "query_bill")
    result = conversation.run(ValidateIdentityForm())
    assert "核验通过" in result.text and conversation.slots["verified_account"] == ZHANG_SAN


@pytest.mark.parametrize("account", ["1234567890", "4401234567890", "110 0123 456"])
def test_any_prefix_is_an_account_number(core, account: str) -> None:
    conversation = identity_form(Conversation())
    conversation.answer_form(ValidateIdentityForm(), "account_no", f"我的户号是{account}")
    assert conversation.slots["account_no"] == account.replace(" ", "")


def test_both_values_in_one_message_are_checked_once(core) -> None:
    conversation = identity_form(Conversation())
    conversation.set(requested_slot="account_no").user("户号3300012345，尾号8000", "inform", {"account_no": ZHANG_SAN})
    conversation.set(account_no=ZHANG_SAN, phone_last4="8000")
    result = conversation.run(ValidateIdentityForm())
    assert result.text == "身份核验通过。" and conversation.slots["verified_account"] == ZHANG_SAN
