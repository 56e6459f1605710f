"""What each service task needs: its form, the action that finishes it, and what the
customer must be told first (service_rules.yml).

One table, read by the start action, the form validators, the summary and the
submit action, so that a request's fields, labels and work-order keys are written
down once. ``service_task`` (a slot) holds the intent name of the task in progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeGuard, get_args

from backend_core.gateway.interfaces import WorkOrderType


class Account(Enum):
    """Whether a task needs a verified account."""

    REQUIRED = "required"  # identity first (require_identity)
    OPTIONAL = "optional"  # a verified account is used, else an address is asked
    NONE = "none"


@dataclass(frozen=True)
class Field:
    """A form slot as the customer sees it and as the work order stores it."""

    slot: str
    label: str  # 申请人, 联系电话 … in the summary
    key: str | None = None  # work-order field name; None: not a field (e.g. the contact phone)


@dataclass(frozen=True)
class Form:
    name: str
    fields: tuple[Field, ...]
    confirm: bool = True  # ends with request_confirmed: summary, then 确认/不提交

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(f.slot for f in self.fields) + (("request_confirmed",) if self.confirm else ())

    def field(self, slot: str) -> Field | None:
        return next((f for f in self.fields if f.slot == slot), None)


@dataclass(frozen=True)
class Task:
    intent: str  # value of the slot service_task; the work-order type for requests
    title: str
    target: str  # the form to fill, or the action that does the whole task
    account: Account
    finisher: str | None = None  # action run when the form completes
    intro: str | None = None  # rules stated before anything is asked; {names} are the core's figures (wording.requests)
    guides: tuple[str, ...] = ()  # knowledge-base documents that explain it: an answer from one offers to start it
    # The request is itself a question (有没有停电计划): only a question about the rules
    # (一般提前几天, 多久能到) is answered from its guides instead.
    asked_as_question: bool = False

    @property
    def work_order_type(self) -> WorkOrderType:
        """The core's order type for a task that is submitted as one (its intent)."""
        if not _is_work_order_type(self.intent):
            raise ValueError(f"{self.intent} is not submitted as a work order")
        return self.intent


def _is_work_order_type(name: str) -> TypeGuard[WorkOrderType]:
    return name in get_args(WorkOrderType)


PHONE = Field("contact_phone", "联系电话")
ADDRESS = Field("service_address", "用电地址", "supply_address")

FORMS = {
    form.name: form
    for form in (
        Form(
            "new_connection_form",
            (
                Field("applicant_name", "申请人", "applicant_name"),
                Field("id_number", "身份证号", "id_number"),
                ADDRESS,
                Field("property_proof", "产权证明", "property_proof"),
                PHONE,
                Field("capacity_kw", "申请容量", "capacity_kw"),
            ),
        ),
        Form(
            "capacity_change_form",
            (
                Field("capacity_kw", "调整后容量", "capacity_kw"),
                Field("change_reason", "调整原因", "reason"),
                PHONE,
            ),
        ),
        Form(
            "transfer_form",
            (
                Field("applicant_name", "新户主", "new_holder_name"),
                Field("id_number", "新户主身份证号", "new_holder_id_number"),
                Field("property_proof", "产权证明", "property_proof"),
                PHONE,
            ),
        ),
        Form("meter_check_form", (PHONE, Field("preferred_date", "预约上门日期", "preferred_date"))),
        Form("tou_form", (PHONE,)),
        Form(
            "close_account_form",
            (
                Field("id_number", "户主身份证号", "holder_id_number"),
                Field("refund_bank_account", "退费银行账户", "refund_bank_account"),
                PHONE,
            ),
        ),
        Form(
            "ev_charger_form",
            (
                ADDRESS,
                Field("parking_proof", "车位产权或租赁证明", "parking_space_proof"),
                Field("pm_consent", "物业同意安装证明", "property_management_consent"),
                PHONE,
            ),
        ),
        Form("invoice_form", (Field("invoice_period", "开票月份", "periods"),)),
        Form("update_contact_form", (Field("new_phone", "新联系电话", "new_phone"),)),
        Form("outage_form", (Field("service_address", "停电地址", "address"),), confirm=False),
        Form("repair_form", (PHONE,), confirm=False),
        Form("hazard_form", (Field("service_address", "隐患位置", "address"), PHONE), confirm=False),
        Form("subscribe_form", (PHONE,), confirm=False),
    )
}

SUBMIT = "action_submit_request"
TASKS = {
    task.intent: task
    for task in (
        Task(
            "apply_new_connection", "新装用电", "new_connection_form", Account.NONE, SUBMIT,
            "居民新装用电从申请到通电全程不超过{residential_days}个工作日，需要申请人的身份证和房屋产权证明"
            "（不动产权证书或购房合同）；店铺等经营用电还需要营业执照，{shop_days}个工作日内完成。我先帮您登记几项信息。",
            guides=('b_residential_new_connection', 'b_low_voltage_non_residential')),
        Task("apply_capacity_change", "增容/减容", "capacity_change_form", Account.REQUIRED, SUBMIT,
             guides=('b_capacity_change',)),
        Task(
            "apply_transfer", "过户", "transfer_form", Account.REQUIRED, SUBMIT,
            "过户前需要先结清该户的全部欠费；过户只变更户主，用电地址、容量和电价类别都保持不变。", guides=('b_transfer',)),
        Task(
            "apply_meter_check", "电能表校验", "meter_check_form", Account.REQUIRED, SUBMIT,
            "电能表校验收取校验费{meter_fee}（单相表）；如果校验结果超出允许误差，校验费全额退还。"
            "校验期间电费照常缴纳，校验结果在{meter_result_days}个工作日内告知您。", guides=('b_meter_check',)),
        Task(
            "apply_tou", "居民峰谷电价", "tou_form", Account.REQUIRED, SUBMIT,
            "居民峰谷电价只适用于居民生活用电，从下一个电费月起执行，办理后至少执行12个月。"
            "高峰时段{tou_peak_hours}每度{tou_peak_price}元，低谷时段{tou_valley_hours}每度{tou_valley_price}元"
            "（第一档价格，第二、三档另加阶梯加价）。", guides=('b_tou_application', 'a_residential_tou', 'a_tou_worth_it')),
        Task(
            "apply_close_account", "销户", "close_account_form", Account.REQUIRED, SUBMIT,
            "销户前需要结清全部电费；销户后会拆除电表，预存的余额退回您指定的银行账户。", guides=('b_close_account',)),
        Task(
            "apply_ev_charger", "充电桩报装", "ev_charger_form", Account.OPTIONAL, SUBMIT,
            "家用充电桩报装需要车位产权证明或租赁证明，以及物业同意安装的证明。", guides=('b_ev_charger',)),
        Task("request_invoice", "电费发票", "invoice_form", Account.REQUIRED, SUBMIT, guides=('a_electronic_invoice',)),
        Task("update_contact", "修改联系电话", "update_contact_form", Account.REQUIRED, "action_update_contact",
             guides=('b_contact_phone_change',)),
        Task("report_outage", "停电报修", "outage_form", Account.OPTIONAL, "action_diagnose_outage",
             guides=("b_fault_repair", "b_outage_self_check"), asked_as_question=True),
        Task("query_restore_time", "来电时间查询", "outage_form", Account.OPTIONAL, "action_restore_time",
             guides=("b_fault_repair",), asked_as_question=True),
        Task("query_planned_outage", "停电计划查询", "outage_form", Account.OPTIONAL, "action_planned_outages",
             guides=("b_planned_outage",), asked_as_question=True),
        Task("report_hazard", "安全隐患报修", "hazard_form", Account.NONE, "action_create_hazard_order"),
        Task(
            "subscribe_outage_notice", "停电通知订阅", "subscribe_form", Account.REQUIRED,
            "action_subscribe_outage", guides=('b_outage_subscription',)),
        Task("query_ticket_status", "工单进度查询", "action_ticket_status", Account.REQUIRED),
    )
}

# Outage questions are about the customer's own supply, so an address given earlier
# in the conversation is used again. Every other request names its own place: a new
# connection, a charger's parking space, or a hazard, which may be anywhere.
ADDRESS_REUSED_BY = frozenset({"outage_form"})

# Requests about the customer's own account, where the phone registered on it is the
# one to call: asked only when the account is not verified or the customer gives another.
# (A transfer calls the new holder; notices go where the customer says.)
REGISTERED_PHONE_SERVES = frozenset({
    "capacity_change_form", "meter_check_form", "tou_form", "close_account_form", "ev_charger_form", "repair_form",
})

# Values that belong to one request and are forgotten when it ends; the contact
# phone and the address stay known for the rest of the conversation.
REQUEST_SLOTS = (
    "applicant_name",
    "id_number",
    "property_proof",
    "capacity_kw",
    "change_reason",
    "preferred_date",
    "refund_bank_account",
    "parking_proof",
    "pm_consent",
    "invoice_period",
    "new_phone",
    "request_confirmed",
)
# How far ahead a meter-test visit may be booked: the booking calendar of the field
# teams (an operating choice, not a commitment; the result follows within the
# committed working days after the test).
METER_VISIT_WINDOW_DAYS = 30


def task_explained_by(doc_id: str | None) -> Task | None:
    """The request a knowledge-base document is the guide to, if any."""
    return next((t for t in TASKS.values() if doc_id and doc_id in t.guides), None)


def task_for_form(form_name: str | None, service_task: str | None) -> Task | None:
    """The task a form is being filled for (outage_form serves three tasks)."""
    task = TASKS.get(service_task or "")
    if task is not None and task.target == form_name:
        return task
    return next((t for t in TASKS.values() if t.target == form_name), None)
