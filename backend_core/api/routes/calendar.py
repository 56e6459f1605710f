"""GET /api/calendar/working-day and /add-working-days: the core's working-day calendar.

Deadlines and appointment dates are stated in working days (weekends, public
holidays and 调休 days applied); callers ask the core instead of keeping a calendar.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from backend_core.api.deps import gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway

router = APIRouter(prefix="/api/calendar", tags=["calendar"], responses=documented(422))


class WorkingDay(BaseModel):
    day: date
    working_day: bool


class WorkingDaysLater(BaseModel):
    start: date
    days: int
    date: date


@router.get("/working-day")
def working_day(day: str | None = None, gw: EmbeddedGateway = Depends(gateway)) -> WorkingDay:
    """Whether ``day`` (YYYY-MM-DD) is a working day."""
    working = gw.is_working_day(day)  # type: ignore[arg-type]  # checked by the core
    return WorkingDay(day=date.fromisoformat(day.strip()), working_day=working)  # type: ignore[union-attr]


@router.get("/add-working-days")
def add_working_days(
    start: str | None = None, days: str | None = None, gw: EmbeddedGateway = Depends(gateway)
) -> WorkingDaysLater:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    result = gw.add_working_days(start, days)  # type: ignore[arg-type]  # checked by the core
    return WorkingDaysLater(start=date.fromisoformat(start.strip()), days=int(days), date=result)  # type: ignore[union-attr,arg-type]
