"""The seeded demo database holds every customer of demo_customers.yml exactly, and bills from the engine."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from backend_core import models
from backend_core.billing.quote import quote
from backend_core.passwords import verify_password

DEMO = yaml.safe_load((Path(__file__).resolve().parents[3] / "backend_core" / "data" / "demo_customers.yml").read_text("utf-8"))
CUSTOMERS = {c["account_no"]: c for c in DEMO["customers"]}
SEED_DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def session(module_db):
    with module_db.factory() as s:
        yield s


@pytest.mark.parametrize("account_no", list(CUSTOMERS))
def test_demo_customer_is_stored_exactly(session, account_no: str) -> None:
    spec = CUSTOMERS[account_no]
    account = session.get(models.Account, account_no)
    assert (account.customer.name, account.customer.phone) == (spec["name"], spec["phone"])
    point = account.service_point
    assert (point.address, point.district, point.area_type, point.feeder, point.transformer_area) == (
        spec["address"], spec["area"]["district"], spec["area"]["type"], spec["area"]["feeder"],
        spec["area"]["transformer_area"],
    )
    assert (account.customer_class, account.tariff_code, account.billing) == (spec["class"], spec["tariff"], spec["billing"])
    assert account.time_of_use == spec.get("time_of_use", False)
    assert account.low_income == spec.get("low_income", False)
    assert account.large_household_approved == spec.get("large_household_approved", False)
    assert account.persons == spec.get("persons")


@pytest.mark.parametrize("account_no", list(CUSTOMERS))
def test_bills_are_the_engines_bills_of_the_stated_readings(session, account_no: str) -> None:
    spec = CUSTOMERS[account_no]
    bills = list(session.scalars(select(models.Bill).where(models.Bill.account_no == account_no).order_by(models.Bill.period)))
    assert [b.period for b in bills] == [f"2026-{m:02d}" for m in range(1, 11)]
    prior = 0
    for month, bill in enumerate(bills):
        case: dict = {"tariff": spec["tariff"], "period": bill.period}
        if spec["tariff"] == "commercial_single_part":
            row = spec["monthly_kwh_by_period_2026"][month]
            case["kwh_by_period"] = dict(zip(("critical_peak", "peak", "flat", "valley"), row, strict=True))
            if not row[0]:
                del case["kwh_by_period"]["critical_peak"]
        else:
            kwh = spec["monthly_kwh_2026"][month]
            case.update(kwh=kwh, prior_kwh_this_year=prior, low_income=spec.get("low_income", False),
                        persons=spec.get("persons"), large_household_approved=spec.get("large_household_approved", False))
            if spec.get("time_of_use"):
                peak, valley = spec["monthly_peak_valley_kwh_2026"][month]
                case["time_of_use"] = {"peak_kwh": peak, "valley_kwh": valley}
            prior += kwh
        assert str(bill.total) == quote(case)["total"], bill.period


def test_zhang_san_paid_january_to_september_on_the_10th_by_wechat_and_owes_october(session) -> None:
    bills = {b.period: b for b in session.scalars(select(models.Bill).where(models.Bill.account_no == "3300012345"))}
    assert bills["2026-10"].status == "unpaid"
    payments = list(session.scalars(select(models.Payment).where(models.Payment.account_no == "3300012345")))
    assert len(payments) == 9
    for p in payments:
        assert p.channel == "wechat" and p.paid_at.day == 10 and p.credited
    assert all(bills[f"2026-{m:02d}"].status == "paid" for m in range(1, 10))


def test_qian_qi_owes_august_to_october_with_late_fees(module_db) -> None:
    arrears = module_db.gateway().get_arrears("3300012349", as_of=date(2026, 11, 25))
    assert [i.period for i in arrears.items] == ["2026-08", "2026-09", "2026-10"]
    assert all(i.late_fee >= 1 for i in arrears.items)
    assert arrears.total == arrears.principal + arrears.late_fee


def test_li_si_has_8_50_below_both_alert_levels(module_db, session) -> None:
    status = module_db.gateway().get_prepaid_status("3300012346")
    assert status.balance == Decimal("8.50") and status.alert_level == "below_10" and status.meter_state == "online"
    levels = set(session.scalars(select(models.PrepaidEvent.level).where(
        models.PrepaidEvent.account_no == "3300012346", models.PrepaidEvent.kind == "alert")))
    assert {Decimal(30), Decimal(10)} <= levels


def test_wang_wu_has_the_planned_outage_three_days_after_seeding(module_db) -> None:
    outages = module_db.gateway().find_outages(account_no="3300012347")
    planned = [o for o in outages if o.kind == "planned"]
    assert len(planned) == 1
    start = datetime.combine(SEED_DAY + timedelta(days=3), datetime.min.time())
    assert (planned[0].start, planned[0].end) == (start.replace(hour=8), start.replace(hour=17))
    assert planned[0].feeder == "城南10kV花园线" and "幸福小区台区" in planned[0].transformer_areas
    assert planned[0].reason == "线路检修"


def test_zhao_liu_registers_match_the_stated_peak_valley_split(session) -> None:
    reads = list(
        session.scalars(
            select(models.MonthlyRead)
            .join(models.Meter)
            .where(models.Meter.account_no == "3300012348")
            .order_by(models.MonthlyRead.period)
        )
    )
    assert [[int(r.kwh_peak), int(r.kwh_valley)] for r in reads] == CUSTOMERS["3300012348"]["monthly_peak_valley_kwh_2026"]


def test_interval_readings_add_up_to_the_monthly_reads(session) -> None:
    meter = session.scalar(select(models.Meter).where(models.Meter.account_no == "3300067890"))
    total = session.scalar(select(func.sum(models.IntervalReading.kwh)).where(
        models.IntervalReading.meter_id == meter.id,
        models.IntervalReading.start >= datetime(2026, 7, 1), models.IntervalReading.start < datetime(2026, 8, 1)))
    assert total == Decimal(380 + 2240 + 1650 + 900)


def test_sun_ba_is_a_13_digit_large_household(module_db) -> None:
    usage = module_db.gateway().get_usage("3301100056789")
    assert usage.tier_thresholds_kwh == [Decimal(3960), Decimal(6000)]


def test_console_agents_have_scrypt_hashes_of_the_demo_password(session) -> None:
    agents = {a.username: a for a in session.scalars(select(models.Agent))}
    assert set(agents) == {"agent01", "agent02"} and agents["agent02"].display_name == "客服02"
    assert all(
        a.password_hash.startswith("$argon2id$") and verify_password("demo-agent-01", a.password_hash) for a in agents.values()
    )
    assert not verify_password("wrong", agents["agent01"].password_hash)


def test_generated_customers_are_varied(session) -> None:
    accounts = list(session.scalars(select(models.Account).where(models.Account.account_no.not_in(list(CUSTOMERS)))))
    assert len(accounts) == 6
    assert all(len(a.account_no) in (10, 13) for a in accounts)
    assert all(a.customer.name and a.customer.phone.startswith("1") for a in accounts)
