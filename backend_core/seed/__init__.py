"""The demo database: every customer of demo_customers.yml exactly, plus N generated ones.

``seed(factory, now, customers=N)`` is idempotent: demo customers are reset to
what demo_customers.yml says (readings, bills, payments, prepaid balance; their
work orders and subscriptions are kept), generated customers that already exist
are left alone, seeded outages are placed again relative to ``now``, and the
console agents get the password of CONSOLE_DEMO_PASSWORD.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend_core import models
from backend_core.core.clock import Clock
from backend_core.core.production import DEMO_AGENT_PASSWORD
from backend_core.db import transaction
from backend_core.seed.outages import write_outages
from backend_core.seed.specs import (
    BILLED_MONTHS,
    CustomerSpec,
    demo_agents,
    demo_specs,
    generated_specs,
)
from backend_core.seed.writer import (
    ensure_tariffs,
    hourly_wh,
    pay_bills,
    reset_account,
    settle_prepaid_bills,
    upsert_account,
    write_agents,
    write_prepaid,
    write_readings,
)
from backend_core.services.bill_run import run_bills
from backend_core.services.context import CoreContext

log = logging.getLogger(__name__)
DEFAULT_AGENT_PASSWORD = DEMO_AGENT_PASSWORD
LAST_BILLED_DAY = BILLED_MONTHS[-1].last_day


@dataclass(frozen=True)
class SeedReport:
    demo_customers: int
    generated_created: int
    generated_existing: int
    bills_issued: int


def _write_customer(session: Session, ctx: CoreContext, spec: CustomerSpec, now: datetime) -> None:
    meter = upsert_account(session, spec, now)
    last_day = max(now.date() - timedelta(days=1), LAST_BILLED_DAY)
    daily = write_readings(session, ctx, spec, meter, hourly_wh(spec, ctx, last_day))
    if spec.billing == "prepaid":
        write_prepaid(session, ctx, spec, meter, daily, now)


def seed(factory: sessionmaker[Session], now: datetime, customers: int = 100, context: CoreContext | None = None) -> SeedReport:
    ctx = context or CoreContext(clock=Clock(fixed=now))
    demo = demo_specs()
    generated = generated_specs(customers)
    with transaction(factory) as session:
        ensure_tariffs(session)
        for spec in demo:
            reset_account(session, spec.account_no)
            _write_customer(session, ctx, spec, now)
        generated_nos = [s.account_no for s in generated]
        existing = set(session.scalars(select(models.Account.account_no).where(models.Account.account_no.in_(generated_nos))))
        fresh = [s for s in generated if s.account_no not in existing]
        for spec in fresh:
            _write_customer(session, ctx, spec, now)
        issued = sum(run_bills(session, ctx.engine, period).bills for period in BILLED_MONTHS)
        for spec in [*demo, *fresh]:
            if spec.billing == "prepaid":
                settle_prepaid_bills(session, spec.account_no)
            else:
                pay_bills(session, ctx, spec, now)
        write_outages(session, now)
        write_agents(session, demo_agents(), os.environ.get("CONSOLE_DEMO_PASSWORD", DEFAULT_AGENT_PASSWORD))
    report = SeedReport(len(demo), len(fresh), len(existing), issued)
    log.info("seeded: %s", report)
    return report

