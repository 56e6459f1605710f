"""The monthly bill run: every account with a register read for the period and no bill yet.

Built for volume: two queries read the period's reads and every meter's
year-to-date kWh, the engine prices each account in memory, and bills and their
lines go in with two bulk inserts. Running it twice issues nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import NO_MONEY, ZERO, BillingEngine, BillResult
from backend_core.billing.periods import Period
from backend_core.errors import InvalidInput
from backend_core.services.bills import bill_values, compute_bill, line_values


@dataclass(frozen=True)
class BillRunResult:
    period: str
    bills: int
    total: Decimal
    rejected: tuple[tuple[str, str], ...] = ()  # (account_no, reason): reads the engine refused


def run_bills(session: Session, engine: BillingEngine, period: Period) -> BillRunResult:
    a, r, m = models.Account, models.MonthlyRead, models.Meter
    already = exists().where(and_(models.Bill.account_no == a.account_no, models.Bill.period == str(period)))
    rows = session.execute(
        select(
            a.account_no,
            a.tariff_code,
            a.time_of_use,
            a.large_household_approved,
            a.low_income,
            r.meter_id,
            r.period,
            r.kwh,
            r.kwh_critical_peak,
            r.kwh_peak,
            r.kwh_flat,
            r.kwh_valley,
            r.max_demand_kw,
            r.kvarh,
        )
        .join(m, m.account_no == a.account_no)
        .join(r, r.meter_id == m.id)
        .where(r.period == str(period), a.status == "active", ~already)
    ).all()
    if not rows:
        return BillRunResult(str(period), 0, NO_MONEY)
    prior = dict(
        session.execute(
            select(r.meter_id, func.sum(r.kwh))
            .where(r.period >= f"{period.year:04d}-01", r.period < str(period))
            .group_by(r.meter_id)
        ).all()
    )
    billed: list[tuple[str, BillResult]] = []
    rejected: list[tuple[str, str]] = []
    for row in rows:
        try:
            billed.append((row.account_no, compute_bill(engine, row, row, prior.get(row.meter_id) or ZERO)))
        except InvalidInput as exc:  # one bad read must not stop the run; it goes back for review
            rejected.append((row.account_no, exc.message))
    if not billed:
        return BillRunResult(str(period), 0, NO_MONEY, tuple(rejected))
    # Core (table) inserts: one executemany each, where ORM bulk inserts would split batches at every NULL.
    bills = [bill_values(engine, account_no, result) for account_no, result in billed]
    session.execute(insert(models.table_of(models.Bill)), bills)
    # Reading the new ids back in one query beats RETURNING, which SQLite answers row by row.
    ids = dict(session.execute(select(models.Bill.account_no, models.Bill.id).where(models.Bill.period == str(period))).all())
    lines = [line for account_no, result in billed for line in line_values(ids[account_no], result)]
    session.execute(insert(models.table_of(models.BillLine)), lines)
    return BillRunResult(str(period), len(billed), sum((r.total for _, r in billed), NO_MONEY), tuple(rejected))
