"""In-process gateway: each call is one transaction on the core's own database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from backend_core.billing.quote import quote as quote_case
from backend_core.db import transaction
from backend_core.gateway.interfaces import (
    AccountSummary,
    AgentIdentity,
    Arrears,
    Bill,
    BillExplanation,
    DemandCharge,
    EnergyCost,
    LateFeeQuote,
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
from backend_core.services import (
    accounts,
    agents,
    arrears,
    bills,
    calculators,
    contact,
    explain,
    facts,
    identity,
    outages,
    payments,
    prepaid,
    subscriptions,
    tou_advice,
    usage,
    work_orders,
)
from backend_core.services.context import CoreContext

T = TypeVar("T")


class EmbeddedGateway:
    """:class:`~backend_core.gateway.interfaces.CoreGateway` on a SQLAlchemy session factory."""

    def __init__(self, session_factory: sessionmaker[Session], context: CoreContext | None = None) -> None:
        self.session_factory = session_factory
        self.ctx = context or CoreContext()

    def _run(self, work: Callable[[Session], T]) -> T:
        with transaction(self.session_factory) as session:
            return work(session)

    def verify_identity(self, account_no: str, phone_last4: str, session_id: str) -> Verification:
        return self._run(lambda s: identity.verify_identity(s, self.ctx, account_no, phone_last4, session_id))

    def is_verified(self, account_no: str, session_id: str) -> bool:
        return self._run(lambda s: identity.is_verified(s, account_no, session_id))

    def authenticate_agent(self, username: str, password: str) -> AgentIdentity | None:
        return self._run(lambda s: agents.authenticate_agent(s, username, password))

    def account_summary(self, account_no: str) -> AccountSummary:
        return self._run(lambda s: accounts.account_summary(s, self.ctx, account_no))

    def get_bill(self, account_no: str, period: str | None = None) -> Bill:
        return self._run(lambda s: bills.get_bill(s, self.ctx, account_no, period))

    def list_bills(self, account_no: str, limit: int = 12) -> list[Bill]:
        return self._run(lambda s: bills.list_bills(s, self.ctx, account_no, limit))

    def get_arrears(self, account_no: str, as_of: date | None = None) -> Arrears:
        return self._run(lambda s: arrears.get_arrears(s, self.ctx, account_no, as_of))

    def get_prepaid_status(self, account_no: str) -> PrepaidStatus:
        return self._run(lambda s: prepaid.get_prepaid_status(s, self.ctx, account_no))

    def get_usage(self, account_no: str, start: str | None = None, end: str | None = None) -> Usage:
        return self._run(lambda s: usage.get_usage(s, self.ctx, account_no, start, end))

    def explain_bill(self, account_no: str, period: str | None = None) -> BillExplanation:
        return self._run(lambda s: explain.explain_bill(s, self.ctx, account_no, period))

    def payment_history(self, account_no: str, limit: int = 6) -> list[Payment]:
        return self._run(lambda s: payments.payment_history(s, self.ctx, account_no, limit))

    def post_payment(
        self,
        account_no: str,
        amount: Decimal,
        channel: str,
        idempotency_key: str,
        paid_at: datetime | None = None,
    ) -> Payment:
        """Post a payment; a repeat of the same key returns the first payment (added to the contract)."""
        return self.post_payment_replay(account_no, amount, channel, idempotency_key, paid_at)[0]

    def post_payment_replay(
        self,
        account_no: str,
        amount: Decimal,
        channel: str,
        idempotency_key: str,
        paid_at: datetime | None = None,
    ) -> tuple[Payment, bool]:
        """Like :meth:`post_payment`, also saying whether the key had been seen (for the HTTP status)."""
        return self._run(
            lambda s: payments.post_payment(s, self.ctx, account_no, amount, channel, idempotency_key, paid_at)
        )

    def diagnose_payment(self, account_no: str) -> PaymentDiagnosis:
        return self._run(lambda s: payments.diagnose_payment(s, self.ctx, account_no))

    def tou_advice(self, account_no: str) -> TouAdvice:
        return self._run(lambda s: tou_advice.tou_advice(s, self.ctx, account_no))

    def diagnose_outage(self, account_no: str) -> OutageDiagnosis:
        return self._run(lambda s: outages.diagnose_outage(s, self.ctx, account_no))

    def find_outages(
        self, account_no: str | None = None, address: str | None = None, days_ahead: int = 14
    ) -> list[Outage]:
        return self._run(lambda s: outages.find_outages(s, self.ctx, account_no, address, days_ahead))

    def subscribe_outage_notice(self, account_no: str, channel: str, target: str) -> Subscription:
        return self._run(lambda s: subscriptions.subscribe_outage_notice(s, self.ctx, account_no, channel, target))

    def create_work_order(
        self,
        type: WorkOrderType,
        fields: dict[str, str],
        idempotency_key: str,
        account_no: str | None = None,
        contact_phone: str | None = None,
        urgent: bool = False,
    ) -> WorkOrder:
        return self._run(
            lambda s: work_orders.create_work_order(
                s, self.ctx, type, fields, idempotency_key, account_no, contact_phone, urgent
            )
        )

    def get_work_order(self, ticket_no: str) -> WorkOrder:
        return self._run(lambda s: work_orders.get_work_order(s, ticket_no))

    def list_work_orders(self, account_no: str, limit: int = 5) -> list[WorkOrder]:
        return self._run(lambda s: work_orders.list_work_orders(s, account_no, limit))

    def update_contact_phone(self, account_no: str, new_phone: str, session_id: str) -> AccountSummary:
        return self._run(lambda s: contact.update_contact_phone(s, self.ctx, account_no, new_phone, session_id))

    def quote(self, case: dict) -> dict:
        return quote_case(case, self.ctx.engine)

    # -- business facts and calculators (no database: the core's data files and engine) --

    def service_facts(self) -> ServiceFacts:
        return facts.service_facts(self.ctx)

    def tariff_facts(self) -> TariffFacts:
        return facts.tariff_facts(self.ctx)

    def late_fee(
        self, amount: Decimal, customer_class: Any, days_late: int, bill_period: str | None = None
    ) -> LateFeeQuote:
        return calculators.late_fee(self.ctx, amount, customer_class, days_late, bill_period)

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
        return calculators.energy_cost(
            self.ctx, kwh, prior_kwh_this_year, large_household, low_income, peak_kwh, valley_kwh, period
        )

    def demand_charge(self, max_demand_kw: Decimal) -> DemandCharge:
        return calculators.demand_charge(self.ctx, max_demand_kw)

    def is_working_day(self, day: date) -> bool:
        return calculators.is_working_day(self.ctx, day)

    def add_working_days(self, start: date, days: int) -> date:
        return calculators.add_working_days(self.ctx, start, days)
