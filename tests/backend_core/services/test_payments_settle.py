"""Paying arrears settles the oldest bills first, late fee first, and records the fee charged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from backend_core import models


def test_paying_what_is_owed_clears_arrears_and_charges_late_fees(fresh_db) -> None:
    gw = fresh_db.gateway()
    owed = gw.get_arrears("3300012349")
    assert owed.as_of == date(2026, 11, 20) and owed.late_fee > 0
    payment = gw.post_payment("3300012349", owed.total, "counter", "counter-0001")
    assert payment.periods == ["2026-08", "2026-09", "2026-10"]
    assert gw.get_arrears("3300012349").total == 0
    with fresh_db.factory() as session:
        charged = session.scalars(
            select(models.LateFeeCharge.amount).join(models.Bill).where(models.Bill.account_no == "3300012349")
        ).all()
    assert sum(charged, Decimal(0)) == owed.late_fee


def test_a_partial_payment_pays_the_oldest_bill_first(fresh_db) -> None:
    gw = fresh_db.gateway()
    before = gw.get_arrears("3300012349")
    august = before.items[0]
    gw.post_payment("3300012349", august.amount + august.late_fee, "wechat", "partial-1")
    after = gw.get_arrears("3300012349")
    assert [i.period for i in after.items] == ["2026-09", "2026-10"]
    assert gw.get_bill("3300012349", "2026-08").paid
