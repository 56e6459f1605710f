"""Seeding again is safe: demo customers are reset to the spec, nothing is duplicated."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from backend_core import models
from backend_core.seed import seed

LATER = datetime(2026, 11, 22, 8, 0)


def counts(session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in (("bills", models.Bill), ("payments", models.Payment), ("reads", models.MonthlyRead),
                            ("accounts", models.Account), ("agents", models.Agent))
    }


def test_reseeding_resets_demo_data_and_moves_the_planned_outage(fresh_db) -> None:
    with fresh_db.factory() as session:
        before = counts(session)
    with fresh_db.factory.begin() as session:  # a demo user changed the registered phone meanwhile
        session.get(models.Account, "3300012345").customer.phone = "13911112222"
    seed(fresh_db.factory, LATER, customers=6)
    with fresh_db.factory() as session:
        assert counts(session) == before
        assert session.get(models.Account, "3300012345").customer.phone == "13800138000"
        planned = list(session.scalars(select(models.Outage).where(models.Outage.feeder == "城南10kV花园线")))
    assert len(planned) == 1
    assert planned[0].start == datetime.combine(LATER.date() + timedelta(days=3), datetime.min.time()).replace(hour=8)
    assert fresh_db.gateway().get_prepaid_status("3300012346").balance == 8.50
