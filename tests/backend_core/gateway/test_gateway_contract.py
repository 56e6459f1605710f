"""One contract, two gateways: the same tests against EmbeddedGateway and HttpGateway (real uvicorn)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from backend_core.api.main import create_app
from backend_core.core.config import CoreSettings
from backend_core.gateway.http import HttpGateway
from backend_core.gateway.interfaces import CoreError, CoreGateway, NotFound

TOKEN = "contract-test-token"


@pytest.fixture(scope="module", params=["embedded", "http"])
def gw(request: pytest.FixtureRequest, copier, serve_api):
    """Each gateway gets its own copy of the demo database, since some tests pay bills."""
    db = copier.copy()
    embedded = db.gateway()
    if request.param == "embedded":
        yield embedded
    else:
        settings = CoreSettings(database_url=db.url, service_token=TOKEN)
        with serve_api(create_app(settings, gateway=embedded)) as served:
            client = HttpGateway(served.base_url, TOKEN)
            yield client
            client.close()
    db.engine.dispose()


def key() -> str:
    return uuid.uuid4().hex


def test_summary_is_masked_and_shows_what_is_owed(gw: CoreGateway) -> None:
    summary = gw.account_summary("3300012345")
    assert (summary.name, summary.phone, summary.address) == ("张*", "138****8000", "示例市城东区平阳路**号*单元***")
    assert summary.district == "城东区" and summary.area_type == "urban" and summary.meter_state == "online"
    assert summary.arrears_total == gw.get_bill("3300012345", "2026-10").total


def test_unknown_and_malformed_accounts(gw: CoreGateway) -> None:
    with pytest.raises(NotFound):
        gw.account_summary("3300099999")
    with pytest.raises(CoreError) as err:
        gw.account_summary("330001234")
    assert (err.value.code, err.value.status) == ("bad_account_no", 422)


def test_latest_bill_and_history(gw: CoreGateway) -> None:
    latest = gw.get_bill("3300012345")
    assert (latest.period, latest.paid, latest.unpaid_amount) == ("2026-10", False, latest.total)
    assert latest.due_on == date(2026, 11, 20) and latest.tier_kwh == [0, 260, 0]
    assert sum(line.amount for line in latest.lines) == latest.total
    assert [b.period for b in gw.list_bills("3300012345", limit=3)] == ["2026-10", "2026-09", "2026-08"]
    with pytest.raises(CoreError) as err:
        gw.get_bill("3300012345", "2027-01")
    assert err.value.code == "period_out_of_range"


def test_arrears_with_late_fees_to_a_later_day(gw: CoreGateway) -> None:
    arrears = gw.get_arrears("3300012349", as_of=date(2026, 11, 25))
    assert [(i.period, i.days_overdue) for i in arrears.items] == [("2026-08", 66), ("2026-09", 36), ("2026-10", 5)]
    assert arrears.items[0].late_fee == (arrears.items[0].amount * Decimal("0.066")).quantize(Decimal("0.01"))
    with pytest.raises(CoreError) as err:
        gw.get_arrears("3300012349", as_of=date(2025, 1, 1))
    assert err.value.code == "date_out_of_range"


def test_prepaid_status(gw: CoreGateway) -> None:
    status = gw.get_prepaid_status("3300012346")
    assert (status.balance, status.alert_level, status.disconnect_at) == (Decimal("8.50"), "below_10", None)
    assert status.estimated_days_left is not None and status.estimated_days_left <= 3
    with pytest.raises(CoreError) as err:
        gw.get_prepaid_status("3300012345")
    assert err.value.code == "not_prepaid"


def test_usage_and_tier_position(gw: CoreGateway) -> None:
    usage = gw.get_usage("3300012345")
    assert [m.kwh for m in usage.months] == [310, 280, 230, 190, 200, 320, 480, 510, 300, 260]
    assert usage.tier_thresholds_kwh == [2760, 4800] and usage.current_tier == 2
    assert usage.kwh_to_next_tier == 4800 - usage.year_to_date_kwh
    assert usage.months[-1].amount == gw.get_bill("3300012345", "2026-10").total
    with pytest.raises(CoreError):
        gw.get_usage("3300012345", start="2026-09", end="2026-03")


def test_explanation_names_the_tier_crossing(gw: CoreGateway) -> None:
    explanation = gw.explain_bill("3300012345", "2026-09")
    assert explanation.crossed_tiers == [2]
    assert [m.period for m in explanation.previous_months] == ["2026-08", "2026-07", "2026-06"]
    assert "第一档上限" in explanation.reasons[0]
    july = gw.explain_bill("3300012345", "2026-07")
    assert july.change_vs_previous_pct == Decimal("50.0") and any("空调" in r for r in july.reasons)


def test_payments_history_and_idempotent_posting(gw: CoreGateway) -> None:
    history = gw.payment_history("3300012347", limit=2)
    assert [p.periods for p in history] == [["2026-10"], ["2026-09"]] and history[0].channel == "alipay"
    posting_key = key()
    first = gw.post_payment("3300012345", Decimal("152.88"), "wechat", posting_key)
    again = gw.post_payment("3300012345", Decimal("152.88"), "wechat", posting_key)
    assert first == again and first.periods == ["2026-10"]
    assert gw.get_bill("3300012345", "2026-10").paid
    with pytest.raises(CoreError) as err:
        gw.post_payment("3300012345", Decimal("10.00"), "wechat", posting_key)
    assert (err.value.code, err.value.status) == ("duplicate_payment", 409)


def test_payment_diagnosis_of_a_low_prepaid_balance(gw: CoreGateway) -> None:
    diagnosis = gw.diagnose_payment("3300012346")
    assert diagnosis.credited and diagnosis.balance_or_arrears == Decimal("8.50")
    assert any("10元提醒线" in a for a in diagnosis.advice)


def test_tou_advice(gw: CoreGateway) -> None:
    zhao = gw.tou_advice("3300012348")
    assert zhao.already_on_tou and not zhao.eligible and len(zhao.months_compared) == 10
    assert zhao.saving == zhao.flat_total - zhao.tou_total > 0
    shop = gw.tou_advice("3300067890")
    assert not shop.eligible and shop.months_compared == []


def test_outages_by_account_and_by_address(gw: CoreGateway) -> None:
    by_account = gw.find_outages(account_no="3300012347")
    assert [o.kind for o in by_account] == ["planned"]
    by_address = gw.find_outages(address="城南区花园街道幸福小区6栋")
    assert [o.outage_id for o in by_address] == [by_account[0].outage_id]
    assert gw.find_outages(account_no="3300012345") == []
    diagnosis = gw.diagnose_outage("3300012349")
    assert (diagnosis.cause, diagnosis.area_type, diagnosis.repair_arrival_minutes) == ("unknown", "rural", 90)


def test_outage_notice_subscription_is_masked(gw: CoreGateway) -> None:
    sub = gw.subscribe_outage_notice("3300012347", "sms", "13700137002")
    assert (sub.target, sub.active) == ("137****7002", True)


def test_work_order_retry_returns_the_first_order(gw: CoreGateway) -> None:
    order_key = key()
    fields = {"description": "家里突然没电，邻居家有电", "address": "示例市城东区平阳路12号3单元501"}
    first = gw.create_work_order("report_outage", fields, order_key, account_no="3300012345", contact_phone="13800138000")
    again = gw.create_work_order("report_outage", fields, order_key, account_no="3300012345", contact_phone="13800138000")
    assert first == again
    assert re.fullmatch(r"GD20261120\d{4}", first.ticket_no)
    assert first.deadline == first.created_at + timedelta(minutes=45)
    assert first.fields["address"] == "示例市城东区平阳路**号*单元***" and first.fields["contact_phone"] == "138****8000"
    assert gw.get_work_order(first.ticket_no) == first
    assert first.ticket_no in [o.ticket_no for o in gw.list_work_orders("3300012345")]
    with pytest.raises(NotFound):
        gw.get_work_order("GD202611209999")


def test_identity_check_and_contact_change(gw: CoreGateway) -> None:
    session_id = key()
    wrong = gw.verify_identity("3300012348", "0000", session_id)
    assert (wrong.verified, wrong.reason, wrong.attempts_left) == (False, "mismatch", 2)
    with pytest.raises(CoreError) as err:
        gw.update_contact_phone("3300012348", "13600001111", session_id)
    assert (err.value.code, err.value.status) == ("not_verified", 403)
    assert gw.verify_identity("3300012348", "6003", session_id).verified
    assert gw.is_verified("3300012348", session_id) and not gw.is_verified("3300012348", key())
    assert gw.update_contact_phone("3300012348", "13600001111", session_id).phone == "136****1111"


def test_quote_is_the_cli_quote(gw: CoreGateway) -> None:
    assert (
        gw.quote({"tariff": "residential_tiered", "period": "2026-03", "kwh": 230, "prior_kwh_this_year": 410})["total"]
        == "123.74"
    )
    with pytest.raises(CoreError) as err:
        gw.quote({"tariff": "residential_tiered", "period": "2026-03", "kwh": -1})
    assert err.value.code == "negative_kwh"


def test_callback_is_due_by_the_end_of_the_agents_shift(gw: CoreGateway, test_now: datetime) -> None:
    order = gw.create_work_order("callback", {"reason": "想咨询电价"}, key(), contact_phone="13800138000")
    assert order.created_at == test_now and order.deadline == datetime(2026, 11, 20, 20, 0)


# -- business facts: every figure a reply quotes comes from the core's data files ----------

DATA = Path(__file__).resolve().parents[3] / "backend_core" / "data"
TARIFFS = yaml.safe_load((DATA / "tariffs.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((DATA / "service_rules.yml").read_text(encoding="utf-8"))
CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "billing" / "billing_cases.yml").read_text(encoding="utf-8"))


def dec(value: object) -> Decimal:
    return Decimal(str(value))


def test_service_facts_are_service_rules(gw: CoreGateway) -> None:
    facts = gw.service_facts()
    commitments = RULES["service_commitments"]
    assert facts.hotline == RULES["hotline"] == "95598"
    assert facts.repair_arrival_minutes == commitments["repair_arrival_minutes"] == {"urban": 45, "rural": 90, "remote": 120}
    assert facts.repair_restore_hours_after_arrival == commitments["repair_restore_hours_after_arrival"]
    assert facts.planned_outage_notice_days == 7 and facts.temporary_outage_notice_hours == 24
    assert facts.new_connection_working_days == commitments["new_connection_working_days"]
    assert facts.new_connection_working_days["residential_total"] == 5
    assert facts.new_connection_working_days["low_voltage_non_residential"] == 6
    assert facts.meter_test_result_working_days == 5
    assert facts.meter_test_fee_yuan == Decimal("30.00") and facts.meter_test_fee_refunded_when_out_of_tolerance
    assert (facts.complaint_first_contact_hours, facts.complaint_answer_working_days) == (24, 4)
    assert facts.reconnection_after_arrears_paid_hours == 24
    assert (facts.disconnection_after_overdue_days, facts.disconnection_notice_days_residential) == (30, 7)
    assert (facts.identity_max_failures, facts.identity_lock_minutes) == (3, 30)
    assert facts.work_order_states == RULES["work_order"]["states"]


def test_agent_hours_are_the_handoff_hours(gw: CoreGateway) -> None:
    hours = gw.service_facts().agent_hours
    assert (hours.start, hours.end, hours.always_staffed, hours.source) == ("08:00", "20:00", False, "service_rules.yml")
    assert str(hours) in RULES["handoff"]["hours"]
    assert hours.agents_on_duty(datetime(2026, 11, 20, 8, 0)) and hours.agents_on_duty(datetime(2026, 11, 20, 19, 59))
    assert not hours.agents_on_duty(datetime(2026, 11, 20, 20, 0)) and not hours.agents_on_duty(datetime(2026, 11, 20, 7, 59))


def test_identity_lock_in_the_facts_is_the_lock_the_core_applies(gw: CoreGateway) -> None:
    facts, session_id = gw.service_facts(), key()
    results = [gw.verify_identity("3300012347", "0000", session_id) for _ in range(facts.identity_max_failures)]
    assert [r.attempts_left for r in results] == list(range(facts.identity_max_failures - 1, -1, -1))
    locked = gw.verify_identity("3300012347", "7002", session_id)
    assert locked.reason == "locked" and locked.locked_until is not None
    assert timedelta(minutes=facts.identity_lock_minutes - 1) < locked.locked_until - datetime(2026, 11, 20, 15, 0) <= timedelta(
        minutes=facts.identity_lock_minutes
    )


def test_tariff_facts_are_tariffs_yml(gw: CoreGateway) -> None:
    facts = gw.tariff_facts()
    res, raw_res = facts.residential, TARIFFS["residential_tiered"]
    assert res.thresholds_kwh == [2760, 4800] == [dec(t) for t in raw_res["thresholds_kwh"]]
    assert res.large_household_thresholds_kwh == [3960, 6000]
    assert (res.large_household_min_persons, res.large_household_extra_kwh_per_year) == (5, 1200)
    assert res.tier_prices == [Decimal("0.538"), Decimal("0.588"), Decimal("0.838")]
    assert res.tier_prices == [dec(raw_res["base_price"]) + dec(s) for s in raw_res["tier_surcharge"]]
    assert res.low_income_free_kwh_per_month == 15
    tou = res.time_of_use
    assert (tou.peak_hours, tou.valley_hours, tou.peak_price, tou.valley_price) == (
        "08:00-22:00", "22:00-08:00", Decimal("0.568"), Decimal("0.288"))
    com = facts.commercial
    assert (com.flat_price, com.peak_price, com.valley_price, com.critical_peak_price) == (
        Decimal("0.65"), Decimal("1.105"), Decimal("0.247"), Decimal("1.326"))
    assert com.peak_hours == TARIFFS["commercial_single_part"]["periods"]["peak"] == ["08:00-11:00", "17:00-23:00"]
    assert (com.flat_hours, com.valley_hours) == (["07:00-08:00", "11:00-17:00"], ["23:00-07:00"])
    assert (com.critical_peak_hours, com.critical_peak_months) == ("19:00-21:00", [7, 8])
    ind = facts.large_industrial
    assert ind.demand_charge_per_kw_month == Decimal("38.00") and ind.power_factor_standard == Decimal("0.90")
    assert (ind.energy.flat_price, ind.energy.peak_price, ind.energy.valley_price) == (
        Decimal("0.58"), Decimal("0.986"), Decimal("0.2204"))
    assert ind.energy.peak_hours == com.peak_hours and ind.energy.critical_peak_months == [7, 8]
    late = facts.late_payment
    assert (late.bill_issue_day, late.due_day, late.minimum_yuan) == (1, 20, Decimal("1.00"))
    assert (late.residential_daily_rate, late.non_residential_current_year_daily_rate,
            late.non_residential_previous_years_daily_rate) == (Decimal("0.001"), Decimal("0.002"), Decimal("0.003"))
    assert facts.prepaid.balance_alerts_yuan == [30, 10]
    assert (facts.prepaid.disconnect, facts.prepaid.reconnect) == (
        TARIFFS["prepaid"]["disconnect"],
        TARIFFS["prepaid"]["reconnect"],
    )


# -- calculators -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c["tariff"] == "late_fee"], ids=lambda c: c["id"])
def test_late_fee_reproduces_the_billing_cases(gw: CoreGateway, case: dict) -> None:
    year, month = map(int, case["bill_period"].split("-"))
    due = date(year + month // 12, month % 12 + 1, TARIFFS["late_payment"]["due_day"])  # in the month after
    days = (date.fromisoformat(case["paid_on"]) - due).days
    fee = gw.late_fee(dec(case["amount"]), case["customer_class"], days, case["bill_period"])
    assert str(fee.fee) == case["expected"]["total"]
    assert (fee.due_on, fee.paid_on, fee.days_late) == (due, date.fromisoformat(case["paid_on"]), days)
    assert sum(s.days for s in fee.segments) == days and not fee.minimum_applied
    assert fee.computed == fee.fee == (fee.amount * fee.rate_total).quantize(Decimal("0.01"))
    quoted = gw.quote({k: v for k, v in case.items() if k not in ("id", "note", "expected")})
    assert [str(s.daily_rate) for s in fee.segments] == [s["daily_rate"] for s in quoted["segments"]]


def test_late_fee_l1_is_15_days_at_the_residential_rate(gw: CoreGateway) -> None:
    fee = gw.late_fee(Decimal("250"), "residential", 15, "2026-08")
    assert (fee.fee, fee.days_late, fee.rate_total, fee.due_on) == (Decimal("3.75"), 15, Decimal("0.015"), date(2026, 9, 20))
    assert [(s.days, s.daily_rate) for s in fee.segments] == [(15, Decimal("0.001"))]


def test_a_small_late_fee_is_the_minimum_and_says_so(gw: CoreGateway) -> None:
    fee = gw.late_fee(Decimal("200"), "residential", 3)
    assert fee.bill_period == "2026-10"  # the latest bill issued by the core's today, 2026-11-20
    assert (fee.due_on, fee.paid_on) == (date(2026, 11, 20), date(2026, 11, 23))
    assert (fee.computed, fee.minimum_applied, fee.fee) == (Decimal("0.60"), True, Decimal("1.00"))
    on_time = gw.late_fee(Decimal("200"), "residential", 0)
    assert (on_time.fee, on_time.minimum_applied, on_time.segments) == (0, False, [])
    shop = gw.late_fee(Decimal("1000.00"), "commercial", 10, "2026-10")
    assert shop.customer_class == "non_residential" and shop.fee == Decimal("20.00")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((Decimal("-1"), "residential", 3), "invalid_amount"),
        ((Decimal("NaN"), "residential", 3), "invalid_number"),
        ((float("inf"), "residential", 3), "invalid_number"),
        ((Decimal("1e30"), "residential", 3), "amount_out_of_range"),
        ((Decimal("1.005"), "residential", 3), "invalid_number"),
        ((Decimal("200"), "residential", -1), "days_out_of_range"),
        ((Decimal("200"), "residential", 10**9), "days_out_of_range"),
        ((Decimal("200"), "residential", 10**40), "days_out_of_range"),
        ((Decimal("200"), "residential", 2.5), "invalid_number"),
        ((Decimal("200"), "gas", 3), "bad_customer_class"),
        ((Decimal("200"), "residential", 3, "2026-13"), "bad_period"),
    ],
)
def test_late_fee_refuses_bad_input_with_a_clear_code(gw: CoreGateway, args: tuple, code: str) -> None:
    with pytest.raises(CoreError) as err:
        gw.late_fee(*args)
    assert (err.value.code, err.value.status) == (code, 422)


@pytest.mark.parametrize("case", [c for c in CASES if c["tariff"] == "residential_tiered"], ids=lambda c: c["id"])
def test_energy_cost_reproduces_the_residential_cases(gw: CoreGateway, case: dict) -> None:
    tou = case.get("time_of_use") or {}
    cost = gw.energy_cost(
        dec(case["kwh"]),
        dec(case["prior_kwh_this_year"]),
        large_household=case.get("large_household_approved", False),
        low_income=case.get("low_income", False),
        peak_kwh=dec(tou["peak_kwh"]) if tou else None,
        valley_kwh=dec(tou["valley_kwh"]) if tou else None,
        period=case["period"],
    )
    assert str(cost.total) == case["expected"]["total"] and sum(line.amount for line in cost.lines) == cost.total
    quoted = gw.quote({k: v for k, v in case.items() if k not in ("id", "note", "expected")})
    assert [(line.code, str(line.amount)) for line in cost.lines] == [(line["code"], line["amount"]) for line in quoted["lines"]]
    assert cost.tier_kwh == [dec(t) for t in quoted["tier_kwh"]] and cost.time_of_use == bool(tou)


def test_energy_cost_splits_a_month_across_tiers(gw: CoreGateway) -> None:
    cost = gw.energy_cost(Decimal(420), Decimal(2500))  # R2: crosses 2760 kWh this month
    assert cost.period == "2026-11" and cost.year_to_date_kwh == 2920
    assert (cost.tier_thresholds_kwh, cost.tier_kwh) == ([2760, 4800], [260, 160, 0])
    assert [(line.code, line.price, line.amount) for line in cost.lines] == [
        ("tier1", Decimal("0.538"), Decimal("139.88")), ("tier2", Decimal("0.588"), Decimal("94.08"))]
    assert cost.total == Decimal("233.96")
    large = gw.energy_cost(Decimal(420), Decimal(2500), large_household=True)
    assert large.tier_thresholds_kwh == [3960, 6000] and large.total == Decimal("225.96")
    low = gw.energy_cost(Decimal(100), low_income=True)
    assert low.lines[-1].code == "low_income_credit" and low.total == Decimal("45.73")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kwh": Decimal(-5)}, "negative_kwh"),
        ({"kwh": Decimal("NaN")}, "invalid_number"),
        ({"kwh": Decimal("1e40")}, "number_out_of_range"),
        ({"kwh": Decimal(100), "prior_kwh_this_year": Decimal(-1)}, "negative_kwh"),
        ({"kwh": Decimal(100), "peak_kwh": Decimal(60)}, "tou_mismatch"),
        ({"kwh": Decimal(100), "peak_kwh": Decimal(60), "valley_kwh": Decimal(30)}, "tou_mismatch"),
        ({"kwh": Decimal(100), "low_income": "yes"}, "invalid_flag"),
        ({"kwh": Decimal(100), "period": "2026/10"}, "bad_period"),
    ],
)
def test_energy_cost_refuses_bad_input(gw: CoreGateway, kwargs: dict, code: str) -> None:
    with pytest.raises(CoreError) as err:
        gw.energy_cost(**kwargs)
    assert (err.value.code, err.value.status) == (code, 422)


def test_demand_charge_is_the_bills_demand_line(gw: CoreGateway) -> None:
    charge = gw.demand_charge(Decimal(400))
    assert (charge.amount, charge.price_per_kw_month) == (Decimal("15200.00"), Decimal("38.00"))
    assert gw.demand_charge(Decimal("0.005")).amount == Decimal("0.19")  # 0.19 yuan: half up, as bills round
    industrial = next(c for c in CASES if c["tariff"] == "large_industrial_two_part")
    quoted = gw.quote({k: v for k, v in industrial.items() if k not in ("id", "note", "expected")})
    demand = next(line for line in quoted["lines"] if line["code"] == "demand")
    assert str(gw.demand_charge(dec(industrial["max_demand_kw"])).amount) == demand["amount"]
    for bad, code in ((Decimal(-1), "invalid_number"), (Decimal("Infinity"), "invalid_number"),
                      (Decimal("1e40"), "number_out_of_range"), ("abc", "invalid_number")):
        with pytest.raises(CoreError) as err:
            gw.demand_charge(bad)  # type: ignore[arg-type]
        assert (err.value.code, err.value.status) == (code, 422)


# -- working days through the gateway --------------------------------------------------------------


def test_working_days_are_the_cores_calendar(gw: CoreGateway) -> None:
    from backend_core.gateway import work_calendar

    assert gw.is_working_day(date(2026, 10, 10))  # Saturday worked after National Day (调休)
    assert gw.is_working_day(date(2026, 2, 28))  # Saturday worked after Spring Festival (调休)
    assert not gw.is_working_day(date(2026, 10, 7)) and not gw.is_working_day(date(2026, 2, 17))  # holidays
    assert not gw.is_working_day(date(2026, 11, 21)) and gw.is_working_day(date(2026, 11, 20))
    assert gw.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert gw.add_working_days(date(2026, 2, 13), 4) == date(2026, 2, 26)
    assert gw.add_working_days(date(2026, 11, 20), 0) == date(2026, 11, 20)
    calendar = work_calendar()
    assert gw.add_working_days(date(2026, 11, 20), 5) == calendar.add_working_days(date(2026, 11, 20), 5)
    for start, days, code in ((date(2026, 11, 20), -1, "days_out_of_range"), (date(2026, 11, 20), 10**6, "days_out_of_range"),
                              (date(1999, 1, 1), 1, "date_out_of_range"), ("2026-02-30", 1, "bad_date")):
        with pytest.raises(CoreError) as err:
            gw.add_working_days(start, days)  # type: ignore[arg-type]
        assert (err.value.code, err.value.status) == (code, 422)
    with pytest.raises(CoreError) as err:
        gw.is_working_day("tomorrow")  # type: ignore[arg-type]
    assert err.value.code == "bad_date"
