"""Outages: which ones touch an account or an address, and why a customer has no power.

The diagnosis follows service_rules.yml (report_outage): first a planned or
fault outage on the customer's feeder / transformer area, then the meter's own
state (prepaid cut-off, arrears disconnection); only when nothing explains it is
the cause unknown, and then the repair-arrival commitment for the area applies.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from backend_core import models
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import Outage, OutageDiagnosis
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account
from backend_core.services.prepaid import refresh_meter

MAX_DAYS_AHEAD = 60
_STREET = re.compile(r"^(.*?(?:街道|大道|大街|路|街|巷|弄|村|小区|花园|苑|公寓|大厦))")


def effective_status(outage: models.Outage, now: datetime) -> str:
    """The status as of ``now``: a scheduled outage whose start has come is active, one past its end is over."""
    if outage.status in ("cancelled", "restored"):
        return outage.status
    if outage.end is not None and now >= outage.end:
        return "restored"
    if outage.start <= now:
        return "active"
    return "scheduled"


def outage_dto(outage: models.Outage, now: datetime) -> Outage:
    return Outage(
        outage_id=outage.outage_no,
        kind=outage.kind,  # type: ignore[arg-type]
        status=effective_status(outage, now),  # type: ignore[arg-type]
        scope=outage.scope,
        feeder=outage.feeder,
        transformer_areas=sorted(a.transformer_area for a in outage.areas),
        start=outage.start,
        end=outage.end,
        estimated_restore=outage.estimated_restore,
        reason=outage.reason,
        notice_published_at=outage.notice_published_at,
    )


def _current_or_upcoming(
    session: Session, now: datetime, days_ahead: int, where: list[ColumnElement[bool]]
) -> list[models.Outage]:
    query = (
        select(models.Outage)
        .where(
            models.Outage.status.in_(("scheduled", "active")),
            models.Outage.start <= now + timedelta(days=days_ahead),
            or_(models.Outage.end.is_(None), models.Outage.end > now),
            *where,
        )
        .order_by(models.Outage.start)
        .options(selectinload(models.Outage.areas))
    )
    return list(session.scalars(query))


def _affects(outage: models.Outage, feeder: str, area: str) -> bool:
    return outage.feeder == feeder and (outage.whole_feeder or any(a.transformer_area == area for a in outage.areas))


def outages_for_point(session: Session, now: datetime, point: models.ServicePoint, days_ahead: int) -> list[models.Outage]:
    candidates = _current_or_upcoming(session, now, days_ahead, [models.Outage.feeder == point.feeder])
    return [o for o in candidates if _affects(o, point.feeder, point.transformer_area)]


def _points_for_address(session: Session, address: str) -> list[models.ServicePoint]:
    text = re.sub(r"\s+", "", address)
    street = _STREET.match(text)
    patterns = [text] + ([street.group(1)] if street and street.group(1) != text else [])
    for pattern in patterns:
        points = list(
            session.scalars(
                select(models.ServicePoint).where(models.ServicePoint.address.contains(pattern, autoescape=True)).limit(200)
            )
        )
        if points:
            return points
    return []


def find_outages(
    session: Session,
    ctx: CoreContext,
    account_no: str | None = None,
    address: str | None = None,
    days_ahead: int = 14,
) -> list[Outage]:
    if not 0 <= days_ahead <= MAX_DAYS_AHEAD:
        raise InvalidInput("date_out_of_range", f"days_ahead 应在 0 到 {MAX_DAYS_AHEAD} 之间")
    now = ctx.clock.now()
    found: dict[int, models.Outage] = {}
    if account_no:
        point = load_account(session, account_no).service_point
        found.update((o.id, o) for o in outages_for_point(session, now, point, days_ahead))
    elif address and address.strip():
        text = re.sub(r"\s+", "", address)
        if len(text) < 2:
            raise InvalidInput("bad_address", "地址太短，请说出街道、小区或村的名称")
        for point in _points_for_address(session, text):
            found.update((o.id, o) for o in outages_for_point(session, now, point, days_ahead))
        for outage in _current_or_upcoming(session, now, days_ahead, [models.Outage.scope.contains(text, autoescape=True)]):
            found[outage.id] = outage
    else:
        raise InvalidInput("missing_field", "请提供户号或地址")
    return [outage_dto(o, now) for o in sorted(found.values(), key=lambda o: o.start)]


def diagnose_outage(session: Session, ctx: CoreContext, account_no: str) -> OutageDiagnosis:
    account = load_account(session, account_no)
    refresh_meter(session, ctx, account)
    point = account.service_point
    meter = billing_meter(account)
    now = ctx.clock.now()
    area_type = point.area_type
    arrival = ctx.rules.repair_arrival_minutes[area_type]
    outages = outages_for_point(session, now, point, days_ahead=7)
    current = next((o for o in outages if effective_status(o, now) == "active"), None)
    upcoming = next((o for o in outages if effective_status(o, now) == "scheduled"), None)
    advice: list[str] = []
    cause: str
    if current is not None:
        cause = "fault" if current.kind == "fault" else "planned"
        restore = current.end or current.estimated_restore
        kind = "故障停电" if current.kind == "fault" else "计划停电" if current.kind == "planned" else "临时检修停电"
        advice.append(f"您所在的{current.scope}正在{kind}（{current.reason}）。")
        if restore is not None:
            advice.append(f"预计{restore:%m月%d日 %H:%M}前恢复供电。")
        if current.kind == "fault":
            advice.append("抢修人员已在处理，不需要重复报修。")
    elif meter.state == "disconnected_negative_balance":
        cause = "prepaid_cutoff"
        advice.append("电费余额不足，电表已自动停电。充值到余额大于0后，1小时内会自动复电。")
    elif meter.state == "disconnected_arrears":
        cause = "arrears_cutoff"
        hours = ctx.rules.reconnection_after_arrears_paid_hours
        advice.append(f"因欠费已停电。结清欠费后，将在{hours}小时内恢复供电。")
    else:
        cause = "unknown"
        advice.append("先看一下家里的总开关和漏电保护器有没有跳闸，也可以问问邻居家是否有电。")
        if meter.state == "offline":
            advice.append("您的电表目前通信离线，可能是表计或线路问题。")
        advice.append(f"如果仍然没电，可以报修，抢修人员{arrival}分钟内到达现场。")
    if upcoming is not None and current is None:
        advice.append(f"另外，{upcoming.start:%m月%d日 %H:%M}起有一次{upcoming.reason}停电安排。")
    return OutageDiagnosis(
        account_no=account.account_no,
        cause=cause,  # type: ignore[arg-type]
        outage=outage_dto(current, now) if current is not None else None,
        meter_state=meter.state,  # type: ignore[arg-type]
        area_type=area_type,  # type: ignore[arg-type]
        repair_arrival_minutes=arrival,
        advice=advice,
    )
