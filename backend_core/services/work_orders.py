"""Work orders (工单): idempotent creation, GD numbering and deadlines from the service commitments.

A retry with the same idempotency key returns the first order, so a network
retry of the bot or the console never opens a second ticket. Deadlines come from
service_rules.yml: working days through the holiday calendar where the
commitment is stated in working days, minutes or hours for repairs and
complaint contact.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import get_args

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend_core import models
from backend_core.billing.periods import Period
from backend_core.errors import CoreError, InvalidInput, NotFound
from backend_core.gateway.interfaces import WorkOrder, WorkOrderType
from backend_core.masking import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)
from backend_core.services.arrears import arrears_of
from backend_core.services.context import CoreContext
from backend_core.services.lookup import check_account_no, check_limit, load_account

TYPES = frozenset(get_args(WorkOrderType))
SUMMARIES = {
    "apply_new_connection": "新装用电申请",
    "apply_capacity_change": "增减容申请",
    "apply_transfer": "过户申请",
    "apply_meter_check": "电能表校验申请",
    "apply_tou": "居民峰谷电价申请",
    "apply_close_account": "销户申请",
    "apply_ev_charger": "充电桩报装申请",
    "report_outage": "停电报修",
    "report_hazard": "安全隐患紧急报修",
    "complain": "客户投诉",
    "request_invoice": "电费发票申请",
    "update_contact": "联系电话变更",
    "callback": "客服回电请求",
}
NEEDS_ACCOUNT = frozenset(
    {"apply_capacity_change", "apply_transfer", "apply_meter_check", "apply_tou", "apply_close_account", "request_invoice"}
)
NEEDS_SETTLED = {"apply_transfer": "过户前需要先结清欠费", "apply_close_account": "销户前需要先结清全部电费"}
TICKET = re.compile(r"^GD\d{12}$")
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
MAX_FIELDS, MAX_VALUE = 30, 1000


def mask_field(key: str, value: str) -> str:
    """Mask a work-order field by what its name says it holds; anything else through mask_text."""
    name = key.lower()
    if "phone" in name or "mobile" in name:
        return mask_phone(value)
    if "id_number" in name:
        return mask_id_number(value)
    if "address" in name:
        return mask_address(value)
    if name.endswith("name") and "display" not in name:
        return mask_name(value)
    if "bank" in name:
        return value[:4] + "*" * max(0, len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
    return mask_text(value)


def order_dto(order: models.WorkOrder) -> WorkOrder:
    fields = {k: mask_field(k, str(v)) for k, v in (order.fields or {}).items()}
    if order.contact_phone:
        fields.setdefault("contact_phone", mask_phone(order.contact_phone))
    return WorkOrder(
        ticket_no=order.ticket_no,
        type=order.type,  # type: ignore[arg-type]
        state=order.state,  # type: ignore[arg-type]
        account_no=order.account_no,
        urgent=order.urgent,
        created_at=order.created_at,
        deadline=order.deadline,
        summary=order.summary,
        fields=fields,
    )


def next_ticket_no(session: Session, created_at: datetime) -> str:
    day = created_at.date()
    sequence = session.get(models.TicketSequence, day, with_for_update=True)
    if sequence is None:
        sequence = models.TicketSequence(day=day, last=0)
        session.add(sequence)
    if sequence.last >= 9999:
        raise CoreError("ticket_sequence_exhausted", "今日工单编号已用完", 503)
    sequence.last += 1
    session.flush()
    return f"GD{day:%Y%m%d}{sequence.last:04d}"


def _agent_shift_end(ctx: CoreContext, now: datetime) -> datetime:
    """End of the agents' shift that is on now, or of the next one (AGENT_HOURS applied)."""
    return ctx.agent_hours.shift_end(now)


def _area_type(session: Session, account: models.Account | None, fields: dict[str, str]) -> str | None:
    if account is not None:
        return account.service_point.area_type
    address = fields.get("address") or fields.get("supply_address")
    if address:
        point = session.scalar(select(models.ServicePoint).where(models.ServicePoint.address == address.strip()))
        if point is not None:
            return point.area_type
    return None


def deadline_for(
    session: Session, ctx: CoreContext, type: str, now: datetime, account: models.Account | None, fields: dict[str, str]
) -> datetime | None:
    rules, calendar = ctx.rules, ctx.calendar
    if type == "apply_new_connection":
        kind = fields.get("supply_type", "residential_total")
        if kind not in rules.new_connection_working_days:
            raise InvalidInput(
                "bad_field", f"supply_type must be one of {', '.join(rules.new_connection_working_days)}"
            )
        return calendar.deadline(now, rules.new_connection_working_days[kind])
    if type == "apply_meter_check":
        return calendar.deadline(now, rules.meter_test_result_working_days)
    if type == "complain":
        return calendar.deadline(now, rules.complaint_answer_working_days)
    if type in ("report_outage", "report_hazard"):
        area = _area_type(session, account, fields)
        # Where the area is not known, promise only what holds everywhere.
        minutes = rules.repair_arrival_minutes[area] if area else max(rules.repair_arrival_minutes.values())
        return now + timedelta(minutes=minutes)
    if type == "callback":
        return _agent_shift_end(ctx, now)
    return None


def _check_fields(fields: object) -> dict[str, str]:
    """The fields as sent, checked: whatever the client sent, an object of short strings."""
    if not isinstance(fields, dict) or len(fields) > MAX_FIELDS:
        raise InvalidInput("bad_field", f"fields must be an object of at most {MAX_FIELDS} strings")
    clean = {}
    for key, value in fields.items():
        if not isinstance(key, str) or not key or len(key) > 50 or len(str(value)) > MAX_VALUE:
            raise InvalidInput("bad_field", f"field {key!r} is too long or unnamed")
        clean[key] = str(value).strip()
    return clean


def _summary(type: str, fields: dict[str, str]) -> str:
    detail = fields.get("description") or fields.get("reason") or fields.get("address") or fields.get("supply_address")
    text = SUMMARIES[type] + (f"：{mask_text(detail)}" if detail else "")
    return text[:300]


def create_work_order(
    session: Session,
    ctx: CoreContext,
    type: str,
    fields: dict[str, str],
    idempotency_key: str,
    account_no: str | None = None,
    contact_phone: str | None = None,
    urgent: bool = False,
    state: str = "submitted",
) -> WorkOrder:
    if type not in TYPES:
        raise InvalidInput("bad_work_order_type", f"unknown work order type {type!r}")
    if not idempotency_key or len(idempotency_key) > 100:
        raise InvalidInput("bad_idempotency_key", "Idempotency-Key must be 1..100 characters")
    existing = session.scalar(
        select(models.WorkOrder)
        .where(models.WorkOrder.idempotency_key == idempotency_key)
        .options(selectinload(models.WorkOrder.complaint))
    )
    if existing is not None:
        same_account = existing.account_no == (check_account_no(account_no) if account_no else None)
        if existing.type != type or not same_account:
            raise CoreError("idempotency_conflict", "这个幂等键已用于另一张工单", 409)
        return order_dto(existing)
    fields = _check_fields(fields)
    if contact_phone is not None and not PHONE.match(contact_phone.strip()):
        raise InvalidInput("bad_phone", "联系电话应为11位手机号或带区号的固定电话")
    account = load_account(session, account_no) if account_no else None
    if account is None and type in NEEDS_ACCOUNT:
        raise InvalidInput("missing_field", f"{SUMMARIES[type]}需要户号")
    now = ctx.clock.now()
    if account is not None and type in NEEDS_SETTLED and arrears_of(session, ctx, account, now.date()).total > 0:
        raise InvalidInput("arrears_outstanding", NEEDS_SETTLED[type])
    if type == "apply_tou" and account is not None:
        if account.customer_class != "residential":
            raise InvalidInput("not_eligible", "居民峰谷电价只适用于居民用户")
        if account.time_of_use:
            raise InvalidInput("not_eligible", "该户已经执行峰谷电价")
        fields.setdefault("effective_from", str(Period.of(now.date()).next()))
    order = models.WorkOrder(
        ticket_no=next_ticket_no(session, now),
        type=type,
        state=state,
        account_no=account.account_no if account else None,
        contact_phone=contact_phone.strip() if contact_phone else None,
        urgent=urgent or type == "report_hazard",
        summary=_summary(type, fields),
        fields=fields,
        idempotency_key=idempotency_key,
        created_at=now,
        deadline=deadline_for(session, ctx, type, now, account, fields),
        updated_at=now,
    )
    if type == "complain":
        order.complaint = models.ComplaintOrder(
            description=fields.get("description", ""),
            first_contact_due=now + timedelta(hours=ctx.rules.complaint_first_contact_hours),
            answer_due=ctx.calendar.deadline(now, ctx.rules.complaint_answer_working_days),
        )
    session.add(order)
    session.flush()
    return order_dto(order)


def get_work_order(session: Session, ticket_no: str) -> WorkOrder:
    if not TICKET.match(str(ticket_no)):
        raise InvalidInput("bad_ticket_no", "工单号格式应为 GD + 8位日期 + 4位序号，例如 GD202611200001")
    order = session.scalar(select(models.WorkOrder).where(models.WorkOrder.ticket_no == ticket_no))
    if order is None:
        raise NotFound(f"未找到工单 {ticket_no}")
    return order_dto(order)


def list_work_orders(session: Session, account_no: str, limit: int = 5) -> list[WorkOrder]:
    check_limit(limit, 50)
    account = load_account(session, account_no)
    orders = session.scalars(
        select(models.WorkOrder)
        .where(models.WorkOrder.account_no == account.account_no)
        .order_by(models.WorkOrder.created_at.desc(), models.WorkOrder.id.desc())
        .limit(limit)
    )
    return [order_dto(o) for o in orders]
