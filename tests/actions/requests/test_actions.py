"""Starting, submitting and cancelling service requests against the seeded core.

The bot's day is Saturday 2026-11-21, so five working days end on Friday 11-27.
"""

from __future__ import annotations

import re

from actions.requests.actions import (
    ActionCancelRequest,
    ActionStartRequest,
    ActionSubmitRequest,
    ActionTicketStatus,
    ActionUpdateContact,
)
from actions.requests.forms import ValidateCapacityChangeForm
from tests.actions.service_support import activate, said, whole_domain  # noqa: F401
from tests.actions.support import LAST4, QIAN_QI, WANG_WU, ZHANG_SAN, ZHAO_LIU, Conversation, Result, run_on, verified

TICKET = re.compile(r"GD\d{12}")


def ticket_in(text: str) -> str:
    match = TICKET.search(text)
    assert match is not None, text
    return match.group()


def start(conversation: Conversation, text: str, intent: str, **entities: str) -> Result:
    return said(conversation, text, intent, **entities).run(ActionStartRequest())


def ready(conversation: Conversation, task: str, **slots: object) -> Conversation:
    """A conversation whose form for ``task`` has just been filled and confirmed."""
    return conversation.set(service_task=task, request_confirmed=True, requested_slot=None, **slots)


# --- starting -------------------------------------------------------------------------
def test_a_request_on_the_account_verifies_identity_then_resumes_the_form() -> None:
    result = start(Conversation(), "我家要增容", "apply_capacity_change")
    assert result.slot("service_task") == "apply_capacity_change"
    assert result.slot("pending_action") == "capacity_change_form"
    assert result.followup == "identity_form"


def test_meter_test_rules_are_told_before_anything_is_asked() -> None:
    text = start(Conversation(), "感觉电表走得太快了", "apply_meter_check").text
    for rule in ("30元", "全额退还", "照常缴纳", "5个工作日", "核实一下您的身份"):
        assert rule in text, rule


def test_a_verified_customer_goes_straight_to_the_form() -> None:
    result = start(verified(Conversation(), ZHANG_SAN), "我要办峰谷电", "apply_tou")
    assert result.followup == "tou_form"
    assert result.slot("pending_action") == "<unset>"
    assert "下一个电费月" in result.text and "12个月" in result.text and "居民" in result.text


def test_a_new_connection_needs_no_account() -> None:
    result = start(Conversation(), "新房子怎么申请通电", "apply_new_connection")
    assert result.followup == "new_connection_form"
    assert "5个工作日" in result.text and "购房合同" in result.text


def test_the_last_request_s_values_are_forgotten_and_the_new_one_s_are_read_when_its_form_starts() -> None:
    conversation = verified(Conversation(), ZHAO_LIU).set(
        change_reason="上次的原因", request_confirmed=True, contact_phone="13600136003"
    )
    result = start(conversation, "家里新装了空调老跳闸 我想增容到16千瓦", "apply_capacity_change")
    assert result.slot("change_reason") is None and result.slot("request_confirmed") is None
    assert result.slot("contact_phone") == "<unset>"  # the phone stays known
    started = activate(conversation, ValidateCapacityChangeForm(), "apply_capacity_change")
    assert started.slot("capacity_kw") == 16.0 and "空调" in started.slot("change_reason")


def test_outage_questions_reuse_the_address_but_a_hazard_asks_where() -> None:
    conversation = Conversation().set(service_address="城西区和平街16号")
    assert start(conversation, "什么时候来电", "query_restore_time").slot("service_address") == "<unset>"
    assert start(conversation, "路边电线杆倒了", "report_hazard").slot("service_address") is None
    told = start(Conversation(), "平阳路30号电线掉了", "report_hazard", address="城东区平阳路30号")
    assert told.slot("service_address") == "<unset>"  # the place in the report itself is kept


def test_a_ticket_number_needs_no_identity() -> None:
    result = start(Conversation(), "查一下gd2026 1121 0001", "query_ticket_status", ticket_no="gd2026 1121 0001")
    assert result.slot("ticket_no") == "GD202611210001"
    assert result.followup == "action_ticket_status"


# --- submitting -----------------------------------------------------------------------
NEW_CONNECTION = dict(
    applicant_name="张伟",
    id_number="11010519491231002X",
    service_address="城东区滨河路阳光小区5栋2单元301",
    property_proof=True,
    contact_phone="13958806613",
    capacity_kw=8.0,
)


def test_submitting_twice_opens_one_order_with_its_deadline(core) -> None:
    tracker = ready(Conversation(), "apply_new_connection", **NEW_CONNECTION).tracker()
    first, retry = run_on(ActionSubmitRequest(), tracker), run_on(ActionSubmitRequest(), tracker)
    ticket = ticket_in(first.text)
    assert ticket_in(retry.text) == ticket
    assert "11月27日（周五）前" in first.text and "139****6613" in first.text
    order = core.get_work_order(ticket)
    assert order.type == "apply_new_connection"
    assert order.fields["capacity_kw"] == "8" and order.fields["property_proof"] == "已提供"
    assert "11010519491231002X" not in str(order.fields)  # the core keeps personal fields masked


def test_an_account_request_is_filed_once_on_that_account(core) -> None:
    before = len(core.list_work_orders(WANG_WU, limit=50))
    tracker = ready(
        verified(Conversation(), WANG_WU), "apply_meter_check", contact_phone="13700137002", preferred_date="2026-11-23"
    ).tracker()
    first = run_on(ActionSubmitRequest(), tracker)
    run_on(ActionSubmitRequest(), tracker)
    assert len(core.list_work_orders(WANG_WU, limit=50)) == before + 1
    assert "11月23日（周一）上门" in first.text and "校验结果最迟11月27日（周五）前告知您" in first.text
    assert first.slot("service_task") is None and first.slot("preferred_date") is None


def test_time_of_use_starts_next_billing_month(core) -> None:
    result = ready(verified(Conversation(), ZHANG_SAN), "apply_tou", contact_phone="13800138000").run(
        ActionSubmitRequest()
    )
    assert TICKET.search(result.text) and "2026年12月的电费起执行" in result.text


def test_declining_at_the_summary_submits_nothing(core) -> None:
    conversation = ready(Conversation(), "apply_new_connection", **NEW_CONNECTION).set(request_confirmed=False)
    result = conversation.run(ActionSubmitRequest())
    assert "先不提交" in result.text and not TICKET.search(result.text)
    assert result.slot("service_task") is None and result.slot("applicant_name") is None


def test_a_request_the_core_refuses_says_why(core) -> None:
    conversation = ready(
        verified(Conversation(), QIAN_QI), "apply_close_account",
        id_number="11010519491231002X", refund_bank_account="6222021234567890123", contact_phone="13500135004",
    )
    result = conversation.run(ActionSubmitRequest())
    assert "没能提交" in result.text and "结清" in result.text and not TICKET.search(result.text)


def test_ticket_number_is_read_digit_by_digit_on_the_phone(core) -> None:
    conversation = Conversation(channel="voice").user("确认", "affirm")
    result = ready(conversation, "apply_new_connection", **{**NEW_CONNECTION, "contact_phone": "13958806614"}).run(
        ActionSubmitRequest()
    )
    assert "G D 2 0 2 6 1 1 2 1" in result.text and not TICKET.search(result.text)


# --- cancelling and the account's own data --------------------------------------------
def test_cancel_ends_the_form_and_forgets_the_request() -> None:
    conversation = Conversation().set(service_task="apply_transfer", applicant_name="陈建国")
    conversation.loop = "transfer_form"
    result = said(conversation, "算了不办了", "cancel").run(ActionCancelRequest())
    assert "已为您取消过户的办理" in result.text
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in result.events if e["event"] == "active_loop"
    ]
    assert conversation.loop is None and conversation.slots["applicant_name"] is None


def test_new_contact_phone_reaches_the_core(core) -> None:
    conversation = verified(Conversation(), ZHAO_LIU)
    assert core.verify_identity(ZHAO_LIU, LAST4[ZHAO_LIU], session_id=conversation.sender).verified
    ready(conversation, "update_contact", new_phone="13612345678")
    try:
        result = conversation.run(ActionUpdateContact())
        assert "136****5678" in result.text
        assert core.account_summary(ZHAO_LIU).phone == "136****5678"
    finally:
        core.update_contact_phone(ZHAO_LIU, "13600136003", session_id=conversation.sender)


def test_ticket_status_by_number_and_by_account(core) -> None:
    order = core.create_work_order(
        "apply_meter_check", {"preferred_date": "2026-11-24"}, "test-ticket-status", account_no=WANG_WU
    )
    by_number = Conversation().set(ticket_no=order.ticket_no).run(ActionTicketStatus())
    assert order.ticket_no in by_number.text and "已提交，等待受理" in by_number.text
    unknown = Conversation().set(ticket_no="GD209901010001").run(ActionTicketStatus())
    assert "没有查到工单GD209901010001" in unknown.text
    mistyped = Conversation().set(ticket_no="GD20261120001").run(ActionTicketStatus())  # one digit short
    assert "GD + 8位日期 + 4位序号" in mistyped.text
    by_account = verified(Conversation(), WANG_WU).run(ActionTicketStatus())
    assert order.ticket_no in by_account.text
    assert Conversation().run(ActionTicketStatus()).messages == []  # identity failed: nothing shown


def test_a_request_read_into_a_message_about_something_else_is_declined() -> None:
    result = start(Conversation(), "京东618什么时候开始", "query_restore_time")
    assert result.followup == "action_listen" and result.slot("service_task") == "<unset>"
    assert "不在我的服务范围" in result.text
