"""Bad input never yields a 500 or a stack trace: every error is a 4xx JSON {"error", "message"}."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend_core.api.main import create_app
from backend_core.core.config import CoreSettings

TOKEN = "api-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(module_db):
    app = create_app(CoreSettings(database_url=module_db.url, service_token=TOKEN), gateway=module_db.gateway())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def error_of(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["message"]
    assert "Traceback" not in response.text
    return str(body["error"])


def test_health_docs_and_quote_are_public(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    assert "/api/billing/quote" in client.get("/openapi.json").json()["paths"]
    case = {"tariff": "commercial_single_part", "period": "2026-05", "kwh_by_period": {"peak": 1830, "flat": 1240, "valley": 760}}
    assert client.post("/api/billing/quote", json=case).json()["total"] == "3015.87"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_everything_else_needs_the_service_token(client: TestClient, headers: dict[str, str]) -> None:
    assert error_of(client.get("/api/accounts/3300012345", headers=headers), 401) == "unauthorized"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/accounts/3300099999", 404, "not_found"),
        ("/api/accounts/330001234", 422, "bad_account_no"),
        ("/api/accounts/33000123451234", 422, "bad_account_no"),
        ("/api/accounts/3300012345/bill?period=2026-13", 422, "bad_period"),
        ("/api/accounts/3300012345/bill?period=2031-01", 422, "period_out_of_range"),
        ("/api/accounts/3300012345/arrears?as_of=1999-01-01", 422, "date_out_of_range"),
        ("/api/accounts/3300012345/arrears?as_of=2026-02-30", 422, "invalid_request"),
        ("/api/accounts/3300012345/usage?start=2026-10&end=2026-01", 422, "period_out_of_range"),
        ("/api/outages?days_ahead=400", 422, "invalid_request"),
        ("/api/outages", 422, "missing_field"),
        ("/api/work-orders/GD123", 422, "bad_ticket_no"),
        ("/api/no-such-route", 404, "not_found"),
    ],
)
def test_bad_requests_are_4xx_json(client: TestClient, path: str, status: int, code: str) -> None:
    assert error_of(client.get(path, headers=AUTH), status) == code


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"tariff": "residential_tiered", "period": "2026-03", "kwh": -230}', "negative_kwh"),
        ('{"tariff": "residential_tiered", "period": "2026-09", "kwh": 380, "time_of_use": {"peak_kwh": 210, "valley_kwh": 160}}',
         "tou_mismatch"),
        ('{"tariff": "residential_tiered", "period": "26-03", "kwh": 230}', "bad_period"),
        ('{"tariff": "gas", "period": "2026-03", "kwh": 230}', "unknown_tariff"),
        ('["not", "a", "case"]', "bad_case"),
    ],
)
def test_quote_refuses_what_cannot_be_billed(client: TestClient, body: str, code: str) -> None:
    response = client.post("/api/billing/quote", content=body, headers={"Content-Type": "application/json"})
    assert error_of(response, 422) == code


@pytest.mark.parametrize("path", ["/api/billing/quote", "/api/accounts/3300012345/payments", "/api/work-orders"])
def test_malformed_json_is_400(client: TestClient, path: str) -> None:
    headers = {**AUTH, "Content-Type": "application/json", "Idempotency-Key": "k-malformed"}
    assert error_of(client.post(path, content='{"amount": 1', headers=headers), 400) == "malformed_json"


def test_duplicate_payment_posting_changes_nothing(client: TestClient) -> None:
    headers = {**AUTH, "Idempotency-Key": "wx-20261120-0001"}
    first = client.post("/api/accounts/3300012349/payments", json={"amount": "100.00", "channel": "wechat"}, headers=headers)
    assert first.status_code == 201
    arrears_after_first = client.get("/api/accounts/3300012349/arrears", headers=AUTH).json()
    again = client.post("/api/accounts/3300012349/payments", json={"amount": "100.00", "channel": "wechat"}, headers=headers)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = client.post("/api/accounts/3300012349/payments", json={"amount": "99.00", "channel": "wechat"}, headers=headers)
    assert error_of(other, 409) == "duplicate_payment"
    assert client.get("/api/accounts/3300012349/arrears", headers=AUTH).json() == arrears_after_first


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"amount": "-5", "channel": "wechat"}, "invalid_amount"),
        ({"amount": "5.001", "channel": "wechat"}, "invalid_amount"),
        ({"amount": "5", "channel": "cash-in-envelope"}, "bad_channel"),
        ({"amount": "5", "channel": "wechat", "paid_at": "2030-01-01T00:00:00"}, "date_out_of_range"),
    ],
)
def test_bad_payments_are_refused(client: TestClient, body: dict, code: str) -> None:
    headers = {**AUTH, "Idempotency-Key": f"bad-{code}-{body['amount']}"}
    assert error_of(client.post("/api/accounts/3300012345/payments", json=body, headers=headers), 422) == code


def test_work_order_needs_an_idempotency_key_and_a_known_type(client: TestClient) -> None:
    body = {"type": "complain", "fields": {"description": "抄表员态度不好"}, "contact_phone": "13800138000"}
    assert error_of(client.post("/api/work-orders", json=body, headers=AUTH), 422) == "invalid_request"
    bad_type = {**body, "type": "teleport"}
    assert (
        error_of(client.post("/api/work-orders", json=bad_type, headers={**AUTH, "Idempotency-Key": "x1"}), 422)
        == "bad_work_order_type"
    )
    created = client.post("/api/work-orders", json=body, headers={**AUTH, "Idempotency-Key": "complaint-1"})
    assert created.status_code == 201 and created.json()["type"] == "complain"


def test_quote_reads_json_whatever_the_content_type(client: TestClient) -> None:
    body = '{"tariff": "residential_tiered", "period": "2026-10", "kwh": 420, "prior_kwh_this_year": 2500}'
    response = client.post("/api/billing/quote", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.json()["total"] == "233.96"


def test_money_is_a_string_with_two_decimals(client: TestClient) -> None:
    summary = client.get("/api/accounts/3300012347", headers=AUTH).json()
    assert summary["arrears_total"] == "0.00"
    arrears = client.get("/api/accounts/3300012349/arrears?as_of=2026-11-25", headers=AUTH).json()
    assert all(len(item["late_fee"].split(".")[1]) == 2 for item in arrears["items"])


# -- facts, calculators and the calendar: behind the token, 4xx on any input ------------------

NEW_ROUTES = [
    "/api/facts/service",
    "/api/facts/tariffs",
    "/api/billing/late-fee?amount=200&customer_class=residential&days_late=3",
    "/api/billing/energy-cost?kwh=420&prior_kwh_this_year=2500",
    "/api/billing/demand-charge?max_demand_kw=400",
    "/api/calendar/working-day?day=2026-10-10",
    "/api/calendar/add-working-days?start=2026-09-30&days=5",
]


@pytest.mark.parametrize("path", NEW_ROUTES)
def test_facts_calculators_and_calendar_need_the_token(client: TestClient, path: str) -> None:
    assert error_of(client.get(path), 401) == "unauthorized"
    assert client.get(path, headers=AUTH).status_code == 200
    assert path.split("?")[0] in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/billing/late-fee", "bad_customer_class"),
        ("/api/billing/late-fee?amount=200&customer_class=residential", "invalid_number"),
        ("/api/billing/late-fee?amount=200&days_late=3", "bad_customer_class"),
        ("/api/billing/late-fee?amount=NaN&customer_class=residential&days_late=3", "invalid_number"),
        ("/api/billing/late-fee?amount=-Infinity&customer_class=residential&days_late=3", "invalid_number"),
        ("/api/billing/late-fee?amount=1e999999999&customer_class=residential&days_late=3", "amount_out_of_range"),
        ("/api/billing/late-fee?amount=-0.01&customer_class=residential&days_late=3", "invalid_amount"),
        ("/api/billing/late-fee?amount=200&customer_class=residential&days_late=-3", "days_out_of_range"),
        ("/api/billing/late-fee?amount=200&customer_class=residential&days_late=" + "9" * 5000, "days_out_of_range"),
        ("/api/billing/late-fee?amount=200&customer_class=residential&days_late=3e2", "invalid_number"),
        ("/api/billing/late-fee?amount=200&customer_class=residential&days_late=3&bill_period=2026-00", "bad_period"),
        ("/api/billing/energy-cost", "invalid_number"),
        ("/api/billing/energy-cost?kwh=-5", "negative_kwh"),
        ("/api/billing/energy-cost?kwh=1e-999999", "invalid_number"),
        ("/api/billing/energy-cost?kwh=" + "9" * 400, "number_out_of_range"),
        ("/api/billing/energy-cost?kwh=100&peak_kwh=50", "tou_mismatch"),
        ("/api/billing/energy-cost?kwh=100&large_household=yes", "invalid_flag"),
        ("/api/billing/demand-charge?max_demand_kw=abc", "invalid_number"),
        ("/api/billing/demand-charge?max_demand_kw=sNaN", "invalid_number"),
        ("/api/calendar/working-day?day=2026-02-30", "bad_date"),
        ("/api/calendar/working-day", "bad_date"),
        ("/api/calendar/add-working-days?start=2026-09-30&days=-1", "days_out_of_range"),
        ("/api/calendar/add-working-days?start=2026-09-30&days=1.5", "invalid_number"),
        ("/api/calendar/add-working-days?start=1900-01-01&days=1", "date_out_of_range"),
    ],
)
def test_calculators_refuse_bad_input_with_422_never_500(client: TestClient, path: str, code: str) -> None:
    assert error_of(client.get(path, headers=AUTH), 422) == code


def test_calculator_answers_are_json_with_money_as_strings(client: TestClient) -> None:
    fee = client.get("/api/billing/late-fee?amount=200&customer_class=residential&days_late=3", headers=AUTH).json()
    assert (fee["fee"], fee["computed"], fee["minimum_applied"], fee["bill_period"]) == ("1.00", "0.60", True, "2026-10")
    assert client.get("/api/billing/demand-charge?max_demand_kw=400", headers=AUTH).json()["amount"] == "15200.00"
    later = client.get("/api/calendar/add-working-days?start=2026-09-30&days=5", headers=AUTH).json()
    assert later == {"start": "2026-09-30", "days": 5, "date": "2026-10-13"}
