"""One contract, two gateways: the same tests against EmbeddedGateway and HttpGateway (real uvicorn)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from backend_core.api.main import create_app
from backend_core.core.config import CoreSettings
from backend_core.gateway.http import HttpGateway
from backend_core.gateway.interfaces import CoreError, CoreGateway, NotFound

TOKEN = "contract-test-token"


@pytest.fixture(scope="module", params=["embedded", "http"])
def gw(request: pytest.FixtureRequest, copier, serve_api):  # type: ignore[no-untyped-def]
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
    assert gw.quote({"tariff": "residential_tiered", "period": "2026-03", "kwh": 230, "prior_kwh_this_year": 410})["total"] == "123.74"
    with pytest.raises(CoreError) as err:
        gw.quote({"tariff": "residential_tiered", "period": "2026-03", "kwh": -1})
    assert err.value.code == "negative_kwh"


def test_callback_is_due_by_the_end_of_the_agents_shift(gw: CoreGateway, test_now: datetime) -> None:
    order = gw.create_work_order("callback", {"reason": "想咨询电价"}, key(), contact_phone="13800138000")
    assert order.created_at == test_now and order.deadline == datetime(2026, 11, 20, 20, 0)
