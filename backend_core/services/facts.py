"""The business figures replies quote, from the core's own data files and nowhere else.

The action server used to type prices, hours and limits into its replies
(第一档每度0.538元, agents 08:00-20:00, the identity lock); a utility that changed
a tariff or a commitment then had two places to change and no test telling it.
These two views are built from the same typed objects the engine and the
services run on (:func:`~backend_core.billing.tariffs.load_tariffs` through the
engine, :func:`~backend_core.services.rules.load_rules`), so a reply can only
quote what the core bills and promises.
"""

from __future__ import annotations

from decimal import Decimal

from backend_core.billing.engine import money
from backend_core.billing.prepaid import CUTOFF_TIME, RECONNECT_WITHIN
from backend_core.billing.quote import price_str
from backend_core.billing.tariffs import TimeOfUseSchedule
from backend_core.gateway.interfaces import (
    LargeIndustrialFacts,
    LatePaymentFacts,
    PrepaidFacts,
    ResidentialTariffFacts,
    ResidentialTouFacts,
    ServiceFacts,
    TariffFacts,
    TouScheduleFacts,
)
from backend_core.services.context import CoreContext


def _price(value: Decimal) -> Decimal:
    """A per-kWh price as bills print it: four decimals where that is exact (1.1050, not 1.10500)."""
    return Decimal(price_str(value))


def service_facts(ctx: CoreContext) -> ServiceFacts:
    rules = ctx.rules
    return ServiceFacts(
        hotline=rules.hotline,
        repair_arrival_minutes=dict(rules.repair_arrival_minutes),
        repair_restore_hours_after_arrival=dict(rules.repair_restore_hours_after_arrival),
        planned_outage_notice_days=rules.planned_outage_notice_days,
        temporary_outage_notice_hours=rules.temporary_outage_notice_hours,
        new_connection_working_days=dict(rules.new_connection_working_days),
        meter_test_result_working_days=rules.meter_test_result_working_days,
        meter_test_fee_yuan=money(rules.meter_test_fee_yuan),
        meter_test_fee_refunded_when_out_of_tolerance=rules.meter_test_fee_refunded_when_out_of_tolerance,
        meter_data_query_answer_working_days=rules.meter_data_query_answer_working_days,
        complaint_first_contact_hours=rules.complaint_first_contact_hours,
        complaint_answer_working_days=rules.complaint_answer_working_days,
        reconnection_after_arrears_paid_hours=rules.reconnection_after_arrears_paid_hours,
        disconnection_after_overdue_days=rules.disconnection_after_overdue_days,
        disconnection_notice_days_residential=rules.disconnection_notice_days_residential,
        identity_max_failures=rules.identity_max_failures,
        identity_lock_minutes=rules.identity_lock_minutes,
        agent_hours=ctx.agent_hours,
        work_order_states=list(rules.work_order_states),  # type: ignore[arg-type]  # checked by the model
    )


def _schedule(schedule: TimeOfUseSchedule) -> TouScheduleFacts:
    return TouScheduleFacts(
        flat_price=_price(schedule.price("flat")),
        peak_price=_price(schedule.price("peak")),
        valley_price=_price(schedule.price("valley")),
        critical_peak_price=_price(schedule.price("critical_peak")),
        peak_hours=[str(r) for r in schedule.periods.get("peak", ())],
        flat_hours=[str(r) for r in schedule.periods.get("flat", ())],
        valley_hours=[str(r) for r in schedule.periods.get("valley", ())],
        critical_peak_hours=str(schedule.critical_peak.hours),
        critical_peak_months=sorted(schedule.critical_peak.months),
    )


def tariff_facts(ctx: CoreContext) -> TariffFacts:
    engine = ctx.engine
    tariffs = engine.tariffs
    res = tariffs.residential
    late = tariffs.late_payment
    return TariffFacts(
        residential=ResidentialTariffFacts(
            thresholds_kwh=list(engine.residential_thresholds(False)),
            large_household_thresholds_kwh=list(engine.residential_thresholds(True)),
            large_household_min_persons=res.large_household.min_persons,
            large_household_extra_kwh_per_year=res.large_household.extra_kwh_per_year,
            base_price=_price(res.base_price),
            tier_surcharges=[_price(s) for s in res.tier_surcharge],
            tier_prices=[_price(res.tier_price(i)) for i in range(len(res.tier_surcharge))],
            low_income_free_kwh_per_month=res.low_income_free_kwh_per_month,
            time_of_use=ResidentialTouFacts(
                peak_hours=str(res.time_of_use.peak_hours),
                valley_hours=str(res.time_of_use.valley_hours),
                peak_price=_price(res.time_of_use.peak_price),
                valley_price=_price(res.time_of_use.valley_price),
            ),
        ),
        commercial=_schedule(tariffs.commercial),
        large_industrial=LargeIndustrialFacts(
            demand_charge_per_kw_month=money(tariffs.two_part.demand_charge_per_kw_month),
            energy=_schedule(tariffs.two_part.schedule),
            power_factor_standard=tariffs.two_part.power_factor.standard,
        ),
        late_payment=LatePaymentFacts(
            bill_issue_day=late.bill_issue_day,
            due_day=late.due_day,
            residential_daily_rate=late.residential_rate,
            non_residential_current_year_daily_rate=late.non_residential_current_year_rate,
            non_residential_previous_years_daily_rate=late.non_residential_previous_years_rate,
            minimum_yuan=money(late.minimum_yuan),
        ),
        prepaid=PrepaidFacts(
            balance_alerts_yuan=[money(a) for a in tariffs.prepaid.balance_alerts_yuan],
            disconnect=tariffs.prepaid.disconnect,
            reconnect=tariffs.prepaid.reconnect,
            cutoff_time=f"{CUTOFF_TIME:%H:%M}",
            reconnect_within_hours=int(RECONNECT_WITHIN.total_seconds() // 3600),
        ),
    )
