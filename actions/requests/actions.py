"""Service requests: starting one, submitting it as a work order, cancelling it, and
the requests that change or read the account (contact phone, order status).

A request starts with :class:`ActionStartRequest` (the rule for every request
intent): it states the rules the customer must know, forgets values of an earlier
request, asks for identity where the account is involved (require_identity, which
resumes the request's form) and otherwise runs the form at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.also_asked import AlsoAnswers
from actions.dialogue.knowledge import (
    decline_off_topic,
    followup_answer,
    off_topic_request,
    reply_to_question,
)
from actions.identity.gate import require_identity, verified_account, verified_for
from actions.kernel.base import SafeAction
from actions.kernel.channel import say
from actions.kernel.events import latest_intent, latest_text, tickets_told
from actions.kernel.gateway import get_gateway
from actions.parsers.digits import find_account_no
from actions.parsers.questions import asks_about
from actions.requests.catalog import (
    ADDRESS_REUSED_BY,
    FORMS,
    REQUEST_SLOTS,
    TASKS,
    Account,
    Task,
)
from actions.requests.forms import latest_entity
from actions.requests.orders import create_service_order, request_ended
from actions.wording.fmt import masked_phone
from actions.wording.requests import (
    ORDER_STATES,
    REGISTERED_PHONE,
    date_label,
    deadline_words,
    intro_text,
    offer_words,
    work_order_value,
)
from backend_core.gateway.interfaces import CoreError, NotFound, WorkOrder


def ticket_no_in(text: str | None) -> str | None:
    """A ticket number as customers type it (gd2026 1120 0001) in the GD… form."""
    if not text:
        return None
    return "".join(text.split()).upper() or None


class ActionStartRequest(AlsoAnswers, SafeAction):
    action_name = "action_start_request"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if off_topic_request(tracker):
            return decline_off_topic(dispatcher, tracker)
        followup = followup_answer(tracker)
        if followup is not None:  # 「那材料交齐了多久能通电」 asks about the last answer, it starts nothing
            say(dispatcher, tracker, followup.text)
            return [SlotSet("kb_context", followup.doc_id), FollowupAction("action_listen")]
        task = TASKS[latest_intent(tracker) or ""]  # the rules start it on a task's intent
        if task.guides and asks_about(latest_text(tracker), task.asked_as_question):
            answered = reply_to_question(dispatcher, tracker, latest_text(tracker), task.title)
            if answered is not None:  # 「验表要多少钱，不准退不退」: answered, and offered
                words, buttons = offer_words(task)
                say(dispatcher, tracker, words, buttons=buttons)
                return answered + [FollowupAction("action_listen")]  # the request is not started: wait
        events: list[EventType] = [SlotSet("service_task", task.intent), SlotSet("requested_slot", None)]
        events += [SlotSet(s, None) for s in REQUEST_SLOTS if tracker.get_slot(s) is not None]
        if task.target not in ADDRESS_REUSED_BY and not latest_entity(tracker, "address"):
            events.append(SlotSet("service_address", None))
        ticket_no = None
        if task.intent == "query_ticket_status":
            # no number given: the order this conversation opened last (「我那个销户提交了没」)
            ticket_no = ticket_no_in(latest_entity(tracker, "ticket_no")) or next(reversed(tickets_told(tracker)), None)
            events.append(SlotSet("ticket_no", ticket_no))

        # An account given with a request that may use one (停电了, 户号…尾号…) is checked first.
        gives_account = task.account is Account.OPTIONAL and find_account_no(latest_text(tracker)) is not None
        needs_identity = (task.account is Account.REQUIRED and not ticket_no) or gives_account
        pending = require_identity(tracker, task.target) if needs_identity else None
        if task.intro:
            say(dispatcher, tracker, intro_text(task) + ("办理前需要先核实一下您的身份。" if pending else ""))
        if pending:
            return events + pending
        return events + [FollowupAction(task.target)]


def _reply(task: Task, order: WorkOrder, slots: dict[str, Any], phone: str | None) -> str:
    text = f"已为您提交{task.title}申请，工单号{order.ticket_no}。"
    if task.intent == "apply_meter_check" and slots.get("preferred_date"):
        text += f"工作人员会在您预约的{date_label(date.fromisoformat(slots['preferred_date']))}上门校验。"
    if task.intent == "apply_tou" and order.fields.get("effective_from"):
        year, month = order.fields["effective_from"].split("-")
        text += f"峰谷电价从{int(year)}年{int(month)}月的电费起执行，至少执行12个月。"
    if task.intent == "apply_close_account" and slots.get("refund_bank_account"):
        text += f"拆表结算后，预存余额会退到尾号{slots['refund_bank_account'][-4:]}的账户。"
    if task.intent == "request_invoice":
        text += "发票开具后会通过短信通知您登记的手机号。"
    if order.deadline is not None:
        when = deadline_words(order.deadline)
        text += f"校验结果最迟{when}告知您。" if task.intent == "apply_meter_check" else f"承诺{when}办结。"
    if phone:
        text += f"工作人员会通过{masked_phone(phone)}和您联系。"
    elif task.account is not Account.NONE and slots.get("verified_account"):
        text += f"工作人员会通过{REGISTERED_PHONE}和您联系。"
    return text


class ActionSubmitRequest(SafeAction):
    """Runs when a request's form ends: submit if confirmed, else say it was not submitted."""

    action_name = "action_submit_request"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = request_ended(tracker)
        task = TASKS.get(tracker.get_slot("service_task") or "")
        confirmed = tracker.get_slot("request_confirmed")
        if task is None or confirmed is None:  # a pre-check stopped the form and said why
            return events
        if confirmed is False:
            say(dispatcher, tracker, f"好的，{task.title}申请这次先不提交。需要修改的话，重新告诉我要办理的业务就可以。")
            return events
        form = FORMS[task.target]
        slots = tracker.slots
        fields = {
            f.key: work_order_value(f.slot, slots[f.slot])
            for f in form.fields
            if f.key and slots.get(f.slot) is not None
        }
        account_no = verified_for(tracker) if task.account is not Account.NONE else None
        phone = slots.get("contact_phone") if "contact_phone" in form.slots else None
        try:
            order = create_service_order(tracker, task.work_order_type, fields, account_no, phone)
        except CoreError as refused:
            say(dispatcher, tracker, f"抱歉，{task.title}申请没能提交：{refused.message}。")
            return events
        say(dispatcher, tracker, _reply(task, order, slots, phone))
        return events


class ActionCancelRequest(SafeAction):
    """取消 inside a service form: end the form and forget the request."""

    action_name = "action_cancel_request"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        task = TASKS.get(tracker.get_slot("service_task") or "")
        what = f"{task.title}的办理" if task else "当前的办理"
        say(dispatcher, tracker, f"好的，已为您取消{what}。还有其他需要帮忙的吗？")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + request_ended(tracker)


class ActionUpdateContact(SafeAction):
    """Ends update_contact_form: the core changes the phone of the verified account."""

    action_name = "action_update_contact"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = request_ended(tracker)
        new_phone = tracker.get_slot("new_phone")
        if tracker.get_slot("request_confirmed") is not True or not new_phone:
            say(dispatcher, tracker, "好的，联系电话没有修改。")
            return events
        try:
            account = get_gateway().update_contact_phone(
                verified_account(tracker), new_phone, session_id=tracker.sender_id
            )
        except CoreError as refused:
            say(dispatcher, tracker, f"抱歉，联系电话没能修改：{refused.message}。")
            return events
        say(
            dispatcher,
            tracker,
            f"已把户号的联系电话改为{account.phone}。以后的停电通知、工单回访都会联系这个号码。",
        )
        return events


def _order_line(order: WorkOrder) -> str:
    line = f"{order.ticket_no}　{order.summary}，{ORDER_STATES[order.state]}"
    if order.deadline is not None and order.state not in ("completed", "closed", "cancelled"):
        line += f"，承诺{deadline_words(order.deadline)}办结"
    return line


class ActionTicketStatus(AlsoAnswers, SafeAction):
    """By the ticket number the customer gives, or the verified account's latest orders."""

    action_name = "action_ticket_status"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = [SlotSet("service_task", None), SlotSet("ticket_no", None)]
        gateway = get_gateway()
        ticket_no = tracker.get_slot("ticket_no")
        if ticket_no:
            try:
                order = gateway.get_work_order(ticket_no)
            except NotFound:
                say(dispatcher, tracker, f"没有查到工单{ticket_no}，请核对一下单号（GD开头，后面12位数字）。")
                return events
            except CoreError as refused:
                say(dispatcher, tracker, refused.message + "。")
                return events
            say(dispatcher, tracker, "查到了：" + _order_line(order) + "。")
            return events
        account_no = verified_for(tracker)
        if account_no is None:  # identity failed; the identity form said why
            return events
        orders = gateway.list_work_orders(account_no, limit=3)
        if not orders:
            say(dispatcher, tracker, "您的户号下最近没有工单。如果是用别的户号办的，告诉我工单号也可以查。")
            return events
        lines = "\n".join(_order_line(order) for order in orders)
        say(dispatcher, tracker, f"您户号下最近的工单：\n{lines}")
        return events
