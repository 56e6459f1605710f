"""Human agents, call-backs out of hours, and complaints: orders in the core, handoffs to the hub."""

from __future__ import annotations

from actions.handoff.complaint import ActionAskComplaintDetail, ActionSubmitComplaint, ValidateComplaintForm
from actions.handoff.human import ActionCreateCallback, ActionRequestHuman, ValidateCallbackForm
from tests.actions.support import ZHANG_SAN, Conversation, off_hours, run_on, verified


def ticket_of(text: str) -> str:
    return text.split("工单号")[1][:14]


def test_asking_for_a_human_hands_over_with_masked_context(core) -> None:
    conversation = verified(Conversation(), ZHANG_SAN).set(period="上个月").user("上个月电费多少", "query_bill")
    result = conversation.user("转人工", "request_human").run(ActionRequestHuman())
    [custom] = result.custom
    assert custom["handoff"]["reason"] == "requested" and custom["handoff"]["intent"] == "query_bill"
    assert custom["handoff"]["slots"]["verified_account"] == "3300****45"
    assert ZHANG_SAN not in str(custom) and "转接人工客服" in result.text


def test_accepting_an_offer_hands_over_for_the_offer_s_reason(core) -> None:
    conversation = Conversation().set(handoff_offer="human", handoff_reason="identity_lockout")
    [custom] = conversation.user("好的", "affirm").run(ActionRequestHuman()).custom
    assert custom["handoff"]["reason"] == "identity_lockout"


def test_asking_for_a_human_in_the_middle_of_a_form_leaves_the_form(core) -> None:
    conversation = Conversation().set(pending_action="action_query_bill", requested_slot="account_no")
    conversation.loop = "identity_form"
    result = conversation.user("我要人工", "request_human").run(ActionRequestHuman())
    assert conversation.loop is None and result.slot("pending_action") is None and result.custom


def test_out_of_hours_a_call_back_is_offered_instead(core, monkeypatch) -> None:
    off_hours(monkeypatch)
    result = Conversation().user("转人工", "request_human").run(ActionRequestHuman())
    assert result.custom == [] and "8:00-20:00" in result.text and "回电" in result.text
    assert result.slot("handoff_offer") == "callback" and result.slot("handoff_reason") == "requested"


def test_a_call_back_order_for_a_stranger_takes_the_number_given(core, monkeypatch) -> None:
    off_hours(monkeypatch)
    conversation = Conversation().set(handoff_reason="requested")
    conversation.loop = "callback_form"
    assert "不像手机号码" in conversation.answer_form(ValidateCallbackForm(), "callback_phone", "12345").text
    conversation.answer_form(ValidateCallbackForm(), "callback_phone", "我的电话是13912345678")
    assert conversation.slots["callback_phone"] == "13912345678"
    result = conversation.run(ActionCreateCallback())
    order = core.get_work_order(ticket_of(result.text))
    assert order.type == "callback" and order.fields["reason"] == "requested"
    assert "尾号5678" in result.text and "13912345678" not in result.text


def test_a_verified_customer_is_called_back_on_the_registered_phone(core, monkeypatch) -> None:
    off_hours(monkeypatch)
    conversation = verified(Conversation(), ZHANG_SAN).user("好的", "affirm")
    conversation.loop = "callback_form"
    assert conversation.run(ValidateCallbackForm()).slot("requested_slot") is None  # nothing to ask
    result = conversation.run(ActionCreateCallback())
    assert "登记的手机" in result.text
    assert core.list_work_orders(ZHANG_SAN)[0].type == "callback"


def test_a_bare_complaint_asks_what_happened(core) -> None:
    conversation = Conversation().user("我要投诉", "complain")
    conversation.events.append({"event": "active_loop", "name": "complaint_form"})  # the form starts
    conversation.set(complaint_detail="我要投诉")  # with what the request said
    conversation.loop = "complaint_form"
    assert conversation.run(ValidateComplaintForm()).slot("complaint_detail") is None
    assert conversation.run(ActionAskComplaintDetail()).text.startswith("很抱歉给您带来不好的体验")


def test_a_reply_that_still_says_nothing_is_asked_for_again(core) -> None:
    conversation = Conversation().set(requested_slot="complaint_detail")
    conversation.loop = "complaint_form"
    conversation.user("服务太差了", "complain").set(complaint_detail="服务太差了")
    conversation.run(ValidateComplaintForm())
    assert conversation.run(ActionAskComplaintDetail()).text.startswith("麻烦再具体说说")


def test_a_complaint_becomes_an_order_and_goes_to_an_agent(core) -> None:
    detail = "昨天抄表员上门态度很差，还让我自己去营业厅查读数"
    conversation = Conversation().user(detail, "complain").set(complaint_detail=detail, callback_phone="13812345678")
    result = conversation.run(ActionSubmitComplaint())
    assert "24小时内" in result.text and "4个工作日" in result.text
    order = core.get_work_order(ticket_of(result.text))
    assert order.type == "complain" and "抄表员" in order.fields["description"]
    [custom] = result.custom
    assert custom["handoff"]["reason"] == "complaint"
    assert result.slot("complaint_detail") is None


def test_a_retried_complaint_is_not_filed_twice(core) -> None:
    """Rasa may call the action again for the same message (a retried webhook): one order."""
    detail = "营业厅工作人员推诿拖延，办了三次都没办成"
    conversation = Conversation().user(detail, "complain").set(complaint_detail=detail, callback_phone="13812345678")
    tracker = conversation.tracker()
    tickets = {ticket_of(run_on(ActionSubmitComplaint(), tracker).text) for _ in range(2)}
    assert len(tickets) == 1


def test_out_of_hours_a_complaint_is_filed_without_a_handoff(core, monkeypatch) -> None:
    off_hours(monkeypatch)
    conversation = Conversation().user("停电了打95598一直没人接，太气人了", "complain")
    result = conversation.set(complaint_detail="停电了打95598一直没人接，太气人了", callback_phone="13812345678").run(
        ActionSubmitComplaint()
    )
    assert result.custom == [] and "8:00" in result.text and "工单号GD" in result.text


def test_withdrawing_a_complaint_files_nothing(core) -> None:
    conversation = Conversation().set(requested_slot="complaint_detail")
    conversation.loop = "complaint_form"
    conversation.user("算了不投诉了", "complain").set(complaint_detail="算了不投诉了")
    assert conversation.run(ValidateComplaintForm()).slot("requested_slot") is None  # the form ends
    result = conversation.run(ActionSubmitComplaint())
    assert "不登记投诉" in result.text and "工单号" not in result.text and result.custom == []
