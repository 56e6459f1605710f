"""Greeting, bare values, cancelling, and offers of a human that last one turn."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue.conversation import ActionCancelTask, ActionGreet, ActionHandleInform, ActionValidateSlotMappings
from tests.actions.support import DOMAIN, ZHANG_SAN, Conversation, verified


def test_greeting_says_what_the_bot_can_do_with_buttons_on_the_web() -> None:
    result = Conversation().user("你好", "greet").run(ActionGreet())
    assert "查电费账单" in result.text and "停电" in result.text
    assert {"title": "转人工", "payload": "/request_human"} in result.buttons


def test_greeting_on_the_phone_speaks_the_choices_instead_of_buttons() -> None:
    result = Conversation(channel="voice").user("你好", "greet").run(ActionGreet())
    assert result.buttons == []
    assert "您可以说“查电费”" in result.text


def test_a_bare_account_number_starts_the_identity_check() -> None:
    result = Conversation().user("3300012345", "inform", {"account_no": ZHANG_SAN}).run(ActionHandleInform())
    assert result.slot("account_no") == ZHANG_SAN
    assert result.followup == "identity_form" and result.slot("pending_action") is None


def test_an_account_number_given_inside_a_form_checks_identity_then_goes_back_to_the_form() -> None:
    conversation = Conversation().user("最近有没有停电计划", "query_planned_outage")
    conversation.loop = "outage_form"
    result = conversation.user("户号3300012345 尾号8000", "inform", {"account_no": ZHANG_SAN}).run(ActionHandleInform())
    assert result.followup == "identity_form" and result.slot("pending_action") == "outage_form"


def test_an_account_number_after_an_account_question_resumes_it() -> None:
    conversation = Conversation().user("我家欠费吗", "query_arrears")
    result = conversation.user("3300012345", "inform", {"account_no": ZHANG_SAN}).run(ActionHandleInform())
    assert result.slot("pending_action") == "action_query_arrears"


def test_a_long_digit_string_that_is_no_account_gets_a_question_back() -> None:
    result = Conversation().user("1234567", "inform").run(ActionHandleInform())
    assert "请问您想查询或办理什么" in result.text and result.slot("account_no") == "<unset>"


def test_a_month_on_its_own_after_a_bill_repeats_the_bill_for_that_month() -> None:
    conversation = verified(Conversation(), ZHANG_SAN).user("上个月电费", "query_bill")
    conversation.events.append({"event": "action", "name": "action_query_bill"})
    result = conversation.user("那九月呢", "inform", {"period": "九月"}).run(ActionHandleInform())
    assert result.followup == "action_query_bill"


def test_a_month_on_its_own_out_of_context_asks_bill_or_usage() -> None:
    result = Conversation().user("九月份", "inform", {"period": "九月份"}).run(ActionHandleInform())
    assert "2025年9月" not in result.text and "2026年9月" in result.text
    assert [b["payload"] for b in result.buttons] == ["/query_bill", "/query_usage"]


def test_cancelling_the_identity_check_forgets_the_request() -> None:
    conversation = Conversation().set(pending_action="action_query_bill", requested_slot="account_no")
    conversation.loop = "identity_form"
    result = conversation.user("算了", "cancel").run(ActionCancelTask())
    assert conversation.loop is None and result.slot("pending_action") is None
    assert "已经取消" in result.text


def test_not_remembering_the_phone_offers_a_human() -> None:
    conversation = Conversation().set(pending_action="action_query_bill", requested_slot="phone_last4")
    conversation.loop = "identity_form"
    result = conversation.user("不记得了", "deny").run(ActionCancelTask())
    assert "人工" in result.text and result.slot("handoff_offer") == "human"


def test_cancelling_a_complaint_clears_what_was_written() -> None:
    conversation = Conversation().set(complaint_detail="抄表员态度很差", requested_slot="callback_phone")
    conversation.loop = "complaint_form"
    result = conversation.user("不投诉了", "cancel").run(ActionCancelTask())
    assert result.slot("complaint_detail") is None


def test_cancel_with_nothing_running() -> None:
    assert "没有正在办理的事项" in Conversation().user("取消", "cancel").run(ActionCancelTask()).text


def expire(conversation: Conversation) -> dict:
    """What the per-turn slot hook returns for the latest message."""
    return {
        e["name"]: e["value"]
        for e in asyncio.run(ActionValidateSlotMappings().run(CollectingDispatcher(), conversation.tracker(), DOMAIN))
    }


def test_an_offer_can_be_accepted_in_the_next_turn_only() -> None:
    conversation = Conversation().user("怎么申请一户多人口", "ask_policy").set(handoff_offer="human")
    assert expire(conversation.user("好的", "affirm")) == {}
    conversation.events.append({"event": "action", "name": "action_request_human"})
    assert expire(conversation.user("好的", "affirm")) == {"handoff_offer": None}


def test_an_offer_ignored_for_another_question_expires() -> None:
    conversation = Conversation().user("怎么申请一户多人口", "ask_policy").set(handoff_offer="human")
    assert expire(conversation.user("上个月电费多少", "query_bill")) == {"handoff_offer": None}
