"""Work-order deadlines from the commitments, numbering, and the rules checked before an order is opened."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from backend_core import models
from backend_core.errors import CoreError


def test_deadlines_follow_the_commitments(fresh_db) -> None:
    gw = fresh_db.gateway()  # Friday 20 Nov 2026, 15:00
    meter = gw.create_work_order("apply_meter_check", {"preferred_date": "2026-11-24"}, "m1", account_no="3300012345",
                                 contact_phone="13800138000")
    assert meter.deadline == datetime(2026, 11, 27, 23, 59, 59)  # 5 working days
    connection = gw.create_work_order("apply_new_connection", {"supply_type": "high_voltage_single_supply"}, "n1",
                                      contact_phone="13800138000")
    assert connection.deadline == datetime(2026, 12, 22, 23, 59, 59)  # 22 working days
    rural = gw.create_work_order("report_outage", {"description": "整个组都没电"}, "o1", account_no="3300012349")
    assert rural.deadline == rural.created_at + timedelta(minutes=90)
    hazard = gw.create_work_order("report_hazard", {"address": "示例县青山镇石桥村4组", "description": "电线杆倾斜"}, "h1")
    assert hazard.urgent and hazard.deadline == hazard.created_at + timedelta(minutes=120)
    assert [int(o.ticket_no[-4:]) for o in (meter, connection, rural, hazard)] == [1, 2, 3, 4]


def test_a_complaint_carries_its_contact_and_answer_commitments(fresh_db) -> None:
    order = fresh_db.gateway().create_work_order("complain", {"description": "抄表员态度不好"}, "c1", contact_phone="13800138000")
    assert order.deadline == datetime(2026, 11, 26, 23, 59, 59)  # 4 working days
    with fresh_db.factory() as session:
        complaint = session.scalar(select(models.ComplaintOrder))
    assert complaint.first_contact_due == datetime(2026, 11, 21, 15, 0)


@pytest.mark.parametrize(
    ("type", "account_no", "code"),
    [
        ("apply_transfer", "3300012349", "arrears_outstanding"),
        ("apply_tou", "3300012348", "not_eligible"),
        ("apply_tou", "3300067890", "not_eligible"),
        ("apply_capacity_change", None, "missing_field"),
    ],
)
def test_orders_that_the_rules_forbid_are_refused(fresh_db, type: str, account_no: str | None, code: str) -> None:
    with pytest.raises(CoreError) as err:
        fresh_db.gateway().create_work_order(type, {}, f"refused-{type}", account_no=account_no, contact_phone="13800138000")
    assert err.value.code == code


def test_same_key_for_another_order_is_a_conflict(fresh_db) -> None:
    gw = fresh_db.gateway()
    gw.create_work_order("request_invoice", {}, "same", account_no="3300012345")
    with pytest.raises(CoreError) as err:
        gw.create_work_order("complain", {"description": "x"}, "same")
    assert err.value.code == "idempotency_conflict"


def test_tou_application_takes_effect_next_month(fresh_db) -> None:
    order = fresh_db.gateway().create_work_order("apply_tou", {}, "t1", account_no="3300012345", contact_phone="13800138000")
    assert order.fields["effective_from"] == "2026-12"
