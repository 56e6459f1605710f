"""Figures for questions that ask for one: a late fee, a month's energy cost, a demand charge, working days.

Each calculator builds a case of billing_cases.yml's form and prices it through
the same parsing and engine code as :func:`~backend_core.billing.quote.quote`, so
an answer in a conversation and a bill can never differ. Inputs come from
conversations (and over HTTP as text), so they are checked here first: numbers
must be finite, not negative, within sane bounds and of sensible precision,
and every refusal is an :class:`InvalidInput` with a stable code (HTTP 422),
never an arithmetic error deep in the engine.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from backend_core.billing.engine import ZERO, money
from backend_core.billing.periods import MAX_YEAR, MIN_YEAR, Period
from backend_core.billing.quote import late_fee_case, price_str, residential_case
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import (
    BillLine,
    DemandCharge,
    EnergyCost,
    LateFeeQuote,
    LateFeeSegment,
)
from backend_core.services.context import CoreContext

# Bounds far above any real bill, well inside what Decimal arithmetic and the
# database columns hold; beyond them a value is a typo or an attack, not a question.
MAX_AMOUNT = Decimal("1000000000")  # yuan
MAX_KWH = Decimal("100000000")  # kWh, a month or a year so far
MAX_DEMAND_KW = Decimal("10000000")  # kW
MAX_DAYS_LATE = 3650  # ten years overdue
MAX_WORKING_DAYS = 366
KWH_PLACES = 4  # interval readings have up to four decimals
WHOLE = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(  # ASCII decimal text; NaN and infinities pass here to be refused as not finite
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:s?nan|inf|infinity)", re.IGNORECASE
)
CUSTOMER_CLASSES = {
    "residential": "residential",
    "non_residential": "non_residential",
    "commercial": "non_residential",
    "large_industrial": "non_residential",
}


# -- input checks ------------------------------------------------------------------------


def _number(value: Any, name: str, maximum: Decimal, places: int, too_big: str = "number_out_of_range") -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InvalidInput("invalid_number", f"{name} must be a number, got {type(value).__name__}")
    text = str(value).strip()
    if isinstance(value, str) and not NUMBER.fullmatch(text):  # Decimal would take 1_000 and non-ASCII digits
        raise InvalidInput("invalid_number", f"{name} must be a number, got {text[:40]!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput("invalid_number", f"{name} must be a number, got {str(value)[:40]!r}") from None
    if not number.is_finite():
        raise InvalidInput("invalid_number", f"{name} must be a finite number, got {str(value)[:40]!r}")
    if number.copy_abs() > maximum:  # copy_abs and comparison never round, so 1e999999999 cannot overflow
        raise InvalidInput(too_big, f"{name} must be at most {maximum}, got {str(value)[:40]!r}")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    if any(digits) and exponent + _trailing_zeros(digits) < -places:
        raise InvalidInput("invalid_number", f"{name} must have at most {places} decimals, got {str(value)[:40]!r}")
    return number


def _trailing_zeros(digits: tuple[int, ...]) -> int:
    count = 0
    for digit in reversed(digits):
        if digit:
            break
        count += 1
    return count


def _amount(value: Any) -> Decimal:
    amount = _number(value, "amount", MAX_AMOUNT, 2, too_big="amount_out_of_range")
    if amount < 0:
        raise InvalidInput("invalid_amount", f"amount must not be negative (got {value})")
    return amount


def _kwh(value: Any, name: str) -> Decimal:
    kwh = _number(value, name, MAX_KWH, KWH_PLACES)
    if kwh < 0:
        raise InvalidInput("negative_kwh", f"{name} must not be negative (got {value})")
    return kwh


def _whole(value: Any, name: str, maximum: int) -> int:
    """A whole number 0..maximum; digits as text are accepted (the HTTP API passes query text)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput("invalid_number", f"{name} must be a whole number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not WHOLE.fullmatch(text):
            raise InvalidInput("invalid_number", f"{name} must be a whole number, got {value!r}")
        if len(text.lstrip("+-")) > 12:
            raise InvalidInput("days_out_of_range", f"{name} must be 0..{maximum}, got {text[:20]}…")
        value = int(text)
    if not 0 <= value <= maximum:
        raise InvalidInput("days_out_of_range", f"{name} must be 0..{maximum}, got {value}")
    return value


def _flag(value: Any, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput("invalid_flag", f"{name} must be true or false, got {value!r}")
    return value


def _day(value: Any, name: str) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise InvalidInput("bad_date", f"{name} must be a date YYYY-MM-DD")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidInput("date_out_of_range", f"{name} must be in {MIN_YEAR}..{MAX_YEAR}, got {value}")
    return value


# -- calculators -----------------------------------------------------------------------------


def latest_issued_period(ctx: CoreContext, today: date | None = None) -> Period:
    """The newest month whose bill has been issued by ``today`` (the core's today by default)."""
    today = today or ctx.clock.today()
    period = Period.of(today).previous()
    while ctx.engine.issue_date(period) > today:
        period = period.previous()
    return period


def late_fee(
    ctx: CoreContext, amount: Any, customer_class: Any, days_late: Any, bill_period: Any = None
) -> LateFeeQuote:
    """The engine's late fee of ``amount`` paid ``days_late`` days after ``bill_period``'s due date."""
    if not isinstance(customer_class, str) or customer_class not in CUSTOMER_CLASSES:
        raise InvalidInput("bad_customer_class", f"customer_class must be one of {', '.join(CUSTOMER_CLASSES)}")
    fee_class = CUSTOMER_CLASSES[customer_class]
    principal = _amount(amount)
    days = _whole(days_late, "days_late", MAX_DAYS_LATE)
    period = Period.parse(bill_period) if bill_period is not None else latest_issued_period(ctx)
    paid_on = ctx.engine.due_date(period) + timedelta(days=days)
    case = {
        "tariff": "late_fee",
        "customer_class": fee_class,
        "bill_period": str(period),
        "amount": principal,
        "paid_on": paid_on.isoformat(),
    }
    fee = late_fee_case(ctx.engine, case)
    return LateFeeQuote(
        customer_class=fee_class,  # type: ignore[arg-type]  # one of the two by CUSTOMER_CLASSES
        bill_period=str(period),
        amount=money(principal),
        due_on=fee.due_on,
        paid_on=paid_on,
        days_late=fee.days_overdue,
        segments=[LateFeeSegment(first_day=s.first_day, last_day=s.last_day, days=s.days, daily_rate=s.daily_rate)
                  for s in fee.segments],
        rate_total=sum((s.daily_rate * s.days for s in fee.segments), ZERO),
        computed=fee.computed,
        minimum_yuan=money(ctx.engine.tariffs.late_payment.minimum_yuan),
        minimum_applied=fee.minimum_applied,
        fee=fee.amount,
    )


def energy_cost(
    ctx: CoreContext,
    kwh: Any,
    prior_kwh_this_year: Any = 0,
    large_household: Any = False,
    low_income: Any = False,
    peak_kwh: Any = None,
    valley_kwh: Any = None,
    period: Any = None,
) -> EnergyCost:
    """A residential month priced as residential_tiered bills are (tiers, TOU, low-income credit)."""
    month_kwh = _kwh(kwh, "kwh")
    prior = _kwh(prior_kwh_this_year, "prior_kwh_this_year")
    large, low = _flag(large_household, "large_household"), _flag(low_income, "low_income")
    if (peak_kwh is None) != (valley_kwh is None):
        raise InvalidInput("tou_mismatch", "time of use needs both peak_kwh and valley_kwh, or neither")
    month = Period.parse(period) if period is not None else Period.of(ctx.clock.today())
    case: dict[str, Any] = {
        "tariff": "residential_tiered",
        "period": str(month),
        "kwh": month_kwh,
        "prior_kwh_this_year": prior,
        "large_household_approved": large,
        "low_income": low,
    }
    if peak_kwh is not None:
        case["time_of_use"] = {"peak_kwh": _kwh(peak_kwh, "peak_kwh"), "valley_kwh": _kwh(valley_kwh, "valley_kwh")}
    result = residential_case(ctx.engine, case, month)
    return EnergyCost(
        period=str(month),
        kwh=month_kwh,
        prior_kwh_this_year=prior,
        year_to_date_kwh=prior + month_kwh,
        large_household=large,
        low_income=low,
        time_of_use=peak_kwh is not None,
        tier_thresholds_kwh=list(result.tier_thresholds_kwh or ()),
        tier_kwh=list(result.tier_kwh or ()),
        lines=[
            BillLine(
                code=line.code,
                label=line.label,
                kwh=line.kwh,
                price=None if line.price is None else Decimal(price_str(line.price)),
                amount=line.amount,
            )
            for line in result.lines
        ],
        total=result.total,
    )


def demand_charge(ctx: CoreContext, max_demand_kw: Any) -> DemandCharge:
    demand = _number(max_demand_kw, "max_demand_kw", MAX_DEMAND_KW, KWH_PLACES)
    if demand < 0:
        raise InvalidInput("invalid_number", f"max_demand_kw must not be negative (got {max_demand_kw})")
    line = ctx.engine.demand_charge(demand)
    assert line.price is not None
    return DemandCharge(max_demand_kw=demand, price_per_kw_month=money(line.price), amount=line.amount)


def is_working_day(ctx: CoreContext, day: Any) -> bool:
    return ctx.calendar.is_working_day(_day(day, "day"))


def add_working_days(ctx: CoreContext, start: Any, days: Any) -> date:
    result = ctx.calendar.add_working_days(_day(start, "start"), _whole(days, "days", MAX_WORKING_DAYS))
    if result.year > MAX_YEAR:
        raise InvalidInput("date_out_of_range", f"the result lies after {MAX_YEAR}")
    return result
