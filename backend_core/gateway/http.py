"""Gateway over the core's HTTP API, for callers deployed apart from the core.

Same contract, same DTOs as the embedded gateway: the API's JSON error body
``{"error", "message"}`` becomes the same :class:`CoreError` / :class:`NotFound`
the embedded gateway raises, so callers cannot tell the two apart.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote as urlquote

import httpx
from pydantic import BaseModel, TypeAdapter

from backend_core.gateway.interfaces import (
    AccountSummary,
    AgentIdentity,
    Arrears,
    Bill,
    BillExplanation,
    CoreError,
    DemandCharge,
    EnergyCost,
    LateFeeQuote,
    NotFound,
    Outage,
    OutageDiagnosis,
    Payment,
    PaymentDiagnosis,
    PrepaidStatus,
    ServiceFacts,
    Subscription,
    TariffFacts,
    TouAdvice,
    Usage,
    Verification,
    WorkOrder,
    WorkOrderType,
)

M = TypeVar("M", bound=BaseModel)


class HttpGateway:
    def __init__(self, base_url: str, token: str, timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CoreError("core_unavailable", f"billing core not reachable: {type(exc).__name__}", 503) from None
        if response.status_code >= 400:
            try:
                body = response.json()
                code, message = body["error"], body["message"]
            except (ValueError, KeyError, TypeError):
                code, message = "http_error", f"HTTP {response.status_code}"
            if response.status_code == 404 and code == "not_found":
                raise NotFound(message)
            raise CoreError(code, message, response.status_code)
        return response

    def _get(self, model: type[M], path: str, **params: Any) -> M:
        return model.model_validate(self._call("GET", path, params=_params(params)).json())

    def _list(self, model: type[M], path: str, **params: Any) -> list[M]:
        return TypeAdapter(list[model]).validate_python(self._call("GET", path, params=_params(params)).json())  # type: ignore[valid-type]

    def verify_identity(self, account_no: str, phone_last4: str, session_id: str) -> Verification:
        body = {"account_no": account_no, "phone_last4": phone_last4, "session_id": session_id}
        return Verification.model_validate(self._call("POST", "/api/identity/verify", json=body).json())

    def is_verified(self, account_no: str, session_id: str) -> bool:
        params = {"account_no": account_no, "session_id": session_id}
        return bool(self._call("GET", "/api/identity/verified", params=params).json()["verified"])

    def authenticate_agent(self, username: str, password: str) -> AgentIdentity | None:
        body = self._call("POST", "/api/agents/authenticate", json={"username": username, "password": password}).json()
        return AgentIdentity.model_validate(body["agent"]) if body.get("agent") else None

    def account_summary(self, account_no: str) -> AccountSummary:
        return self._get(AccountSummary, f"/api/accounts/{_seg(account_no)}")

    def get_bill(self, account_no: str, period: str | None = None) -> Bill:
        return self._get(Bill, f"/api/accounts/{_seg(account_no)}/bill", period=period)

    def list_bills(self, account_no: str, limit: int = 12) -> list[Bill]:
        return self._list(Bill, f"/api/accounts/{_seg(account_no)}/bills", limit=limit)

    def get_arrears(self, account_no: str, as_of: date | None = None) -> Arrears:
        return self._get(Arrears, f"/api/accounts/{_seg(account_no)}/arrears", as_of=as_of)

    def get_prepaid_status(self, account_no: str) -> PrepaidStatus:
        return self._get(PrepaidStatus, f"/api/accounts/{_seg(account_no)}/prepaid")

    def get_usage(self, account_no: str, start: str | None = None, end: str | None = None) -> Usage:
        return self._get(Usage, f"/api/accounts/{_seg(account_no)}/usage", start=start, end=end)

    def explain_bill(self, account_no: str, period: str | None = None) -> BillExplanation:
        return self._get(BillExplanation, f"/api/accounts/{_seg(account_no)}/bill/explanation", period=period)

    def payment_history(self, account_no: str, limit: int = 6) -> list[Payment]:
        return self._list(Payment, f"/api/accounts/{_seg(account_no)}/payments", limit=limit)

    def post_payment(
        self,
        account_no: str,
        amount: Decimal,
        channel: str,
        idempotency_key: str,
        paid_at: datetime | None = None,
    ) -> Payment:
        body = {"amount": str(amount), "channel": channel, "paid_at": paid_at.isoformat() if paid_at else None}
        response = self._call(
            "POST", f"/api/accounts/{_seg(account_no)}/payments", json=body, headers={"Idempotency-Key": idempotency_key}
        )
        return Payment.model_validate(response.json())

    def diagnose_payment(self, account_no: str) -> PaymentDiagnosis:
        return self._get(PaymentDiagnosis, f"/api/accounts/{_seg(account_no)}/payments/diagnosis")

    def tou_advice(self, account_no: str) -> TouAdvice:
        return self._get(TouAdvice, f"/api/accounts/{_seg(account_no)}/tou-advice")

    def diagnose_outage(self, account_no: str) -> OutageDiagnosis:
        return self._get(OutageDiagnosis, f"/api/accounts/{_seg(account_no)}/outage-diagnosis")

    def find_outages(
        self, account_no: str | None = None, address: str | None = None, days_ahead: int = 14
    ) -> list[Outage]:
        return self._list(Outage, "/api/outages", account_no=account_no, address=address, days_ahead=days_ahead)

    def subscribe_outage_notice(self, account_no: str, channel: str, target: str) -> Subscription:
        response = self._call(
            "POST", f"/api/accounts/{_seg(account_no)}/outage-subscriptions", json={"channel": channel, "target": target}
        )
        return Subscription.model_validate(response.json())

    def create_work_order(
        self,
        type: WorkOrderType,
        fields: dict[str, str],
        idempotency_key: str,
        account_no: str | None = None,
        contact_phone: str | None = None,
        urgent: bool = False,
    ) -> WorkOrder:
        body = {
            "type": type,
            "fields": fields,
            "account_no": account_no,
            "contact_phone": contact_phone,
            "urgent": urgent,
        }
        response = self._call("POST", "/api/work-orders", json=body, headers={"Idempotency-Key": idempotency_key})
        return WorkOrder.model_validate(response.json())

    def get_work_order(self, ticket_no: str) -> WorkOrder:
        return self._get(WorkOrder, f"/api/work-orders/{_seg(ticket_no)}")

    def list_work_orders(self, account_no: str, limit: int = 5) -> list[WorkOrder]:
        return self._list(WorkOrder, f"/api/accounts/{_seg(account_no)}/work-orders", limit=limit)

    def update_contact_phone(self, account_no: str, new_phone: str, session_id: str) -> AccountSummary:
        body = {"new_phone": new_phone, "session_id": session_id}
        response = self._call("PUT", f"/api/accounts/{_seg(account_no)}/contact-phone", json=body)
        return AccountSummary.model_validate(response.json())

    def quote(self, case: dict) -> dict:
        return self._call("POST", "/api/billing/quote", json=case).json()

    def service_facts(self) -> ServiceFacts:
        return self._get(ServiceFacts, "/api/facts/service")

    def tariff_facts(self) -> TariffFacts:
        return self._get(TariffFacts, "/api/facts/tariffs")

    def late_fee(
        self, amount: Decimal, customer_class: Any, days_late: int, bill_period: str | None = None
    ) -> LateFeeQuote:
        return self._get(
            LateFeeQuote,
            "/api/billing/late-fee",
            amount=_text(amount),
            customer_class=_text(customer_class),
            days_late=_text(days_late),
            bill_period=_text(bill_period),
        )

    def energy_cost(
        self,
        kwh: Decimal,
        prior_kwh_this_year: Decimal = Decimal(0),
        large_household: bool = False,
        low_income: bool = False,
        peak_kwh: Decimal | None = None,
        valley_kwh: Decimal | None = None,
        period: str | None = None,
    ) -> EnergyCost:
        return self._get(
            EnergyCost,
            "/api/billing/energy-cost",
            kwh=_text(kwh),
            prior_kwh_this_year=_text(prior_kwh_this_year),
            large_household=_text(large_household),
            low_income=_text(low_income),
            peak_kwh=_text(peak_kwh),
            valley_kwh=_text(valley_kwh),
            period=_text(period),
        )

    def demand_charge(self, max_demand_kw: Decimal) -> DemandCharge:
        return self._get(DemandCharge, "/api/billing/demand-charge", max_demand_kw=_text(max_demand_kw))

    def is_working_day(self, day: date) -> bool:
        body = self._call("GET", "/api/calendar/working-day", params=_params({"day": _text(day)})).json()
        return bool(body["working_day"])

    def add_working_days(self, start: date, days: int) -> date:
        params = _params({"start": _text(start), "days": _text(days)})
        return date.fromisoformat(self._call("GET", "/api/calendar/add-working-days", params=params).json()["date"])


def _seg(value: str) -> str:
    """One URL path segment: a slash in user input must not reach another route."""
    return urlquote(str(value), safe="")


def _text(value: Any) -> str | None:
    """A query value as the core parses it: the core checks it, so the HTTP gateway sends it as given
    (booleans as true/false, dates ISO) and both gateways refuse bad input with the same code."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in params.items() if v is not None}
