"""Quote one case of billing_cases.yml's form: ``quote(case) -> dict`` and its CLI.

The CLI (``python -m backend_core.billing.quote``) reads one case as JSON on
stdin and prints one JSON object; the HTTP API's POST /api/billing/quote and the
gateway's ``quote`` call the same :func:`quote`, so the three can never differ.
Bad input exits with status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from backend_core.billing.engine import (
    ZERO,
    BillingEngine,
    BillResult,
    Interval,
    LateFee,
    money,
)
from backend_core.billing.periods import Period
from backend_core.errors import CoreError, InvalidInput

TARIFFS = ("residential_tiered", "commercial_single_part", "large_industrial_two_part", "late_fee")
CUSTOMER_CLASSES = ("residential", "non_residential")
MAX_NUMBER = Decimal("1000000000")  # kWh, kW or yuan in one case


# -- parsing ---------------------------------------------------------------------


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InvalidInput("invalid_number", f"{name} must be a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput("invalid_number", f"{name} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise InvalidInput("invalid_number", f"{name} must be a finite number, got {value!r}")
    if number.copy_abs() > MAX_NUMBER:  # no meter or bill comes near; past it, yuan overflow decimal's precision
        raise InvalidInput("number_out_of_range", f"{name} must be at most {MAX_NUMBER}, got {str(value)[:40]!r}")
    return number


def _kwh(value: Any, name: str) -> Decimal:
    number = _decimal(value, name)
    if number < 0:
        raise InvalidInput("negative_kwh", f"{name} must not be negative (got {value})")
    return number


def _required(case: Mapping[str, Any], name: str) -> Any:
    if case.get(name) is None:
        raise InvalidInput("missing_field", f"{name} is required for tariff {case.get('tariff')}")
    return case[name]


def _flag(case: Mapping[str, Any], name: str) -> bool:
    value = case.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput("invalid_flag", f"{name} must be true or false, got {value!r}")
    return value


def _date(value: Any, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput("bad_date", f"{name} must be a date YYYY-MM-DD, got {value!r}")
    return parsed


def _intervals(raw: Any) -> list[Interval]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("bad_intervals", "intervals must be a non-empty list of {start, kwh}")
    intervals = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or "start" not in item or "kwh" not in item:
            raise InvalidInput("bad_intervals", f"intervals[{i}] must be an object with start and kwh")
        start = item["start"]
        if not isinstance(start, datetime):
            try:
                start = datetime.fromisoformat(str(start))
            except ValueError:
                raise InvalidInput(
                    "bad_intervals", f"intervals[{i}].start must be an ISO local time, got {item['start']!r}"
                ) from None
        intervals.append(Interval(start.replace(tzinfo=None), _kwh(item["kwh"], f"intervals[{i}].kwh")))
    return intervals


def _period_energy(engine: BillingEngine, case: Mapping[str, Any], period: Period, two_part: bool) -> dict[str, Decimal]:
    """kWh per TOU period from either ``kwh_by_period`` or ``intervals`` (exactly one)."""
    has_periods, has_intervals = case.get("kwh_by_period") is not None, case.get("intervals") is not None
    if has_periods == has_intervals:
        raise InvalidInput("missing_field", "give exactly one of kwh_by_period or intervals")
    if has_intervals:
        schedule = engine.tariffs.two_part.schedule if two_part else engine.tariffs.commercial
        energy = engine.bucket_intervals(schedule, period, _intervals(case["intervals"]))
    else:
        raw = case["kwh_by_period"]
        if not isinstance(raw, Mapping):
            raise InvalidInput("bad_kwh_by_period", "kwh_by_period must be an object {peak, flat, valley, ...}")
        energy = {str(k): _kwh(v, f"kwh_by_period.{k}") for k, v in raw.items()}
    if case.get("kwh") is not None:
        total = _kwh(case["kwh"], "kwh")
        if total != sum(energy.values(), ZERO):
            raise InvalidInput("kwh_mismatch", f"kwh ({total}) is not the sum of the periods' kWh")
    return energy


def residential_case(engine: BillingEngine, case: Mapping[str, Any], period: Period) -> BillResult:
    """A residential_tiered case, parsed and priced (the gateway's energy_cost uses it too)."""
    large = _flag(case, "large_household_approved")
    persons = case.get("persons")
    if persons is not None:
        if isinstance(persons, bool) or not isinstance(persons, int) or persons < 1:
            raise InvalidInput("invalid_number", f"persons must be a whole number ≥ 1, got {persons!r}")
        minimum = engine.tariffs.residential.large_household.min_persons
        if large and persons < minimum:
            raise InvalidInput(
                "large_household_persons",
                f"the large-household allowance needs {minimum} or more persons, got {persons}",
            )
    tou = case.get("time_of_use")
    intervals = _intervals(case["intervals"]) if case.get("intervals") is not None else None
    kwh = _kwh(case["kwh"], "kwh") if case.get("kwh") is not None else None
    if intervals is not None:
        interval_total = sum((i.kwh for i in intervals), ZERO)
        if kwh is not None and kwh != interval_total:
            raise InvalidInput("kwh_mismatch", f"kwh ({kwh}) is not the sum of the intervals ({interval_total})")
        kwh = interval_total
    peak = valley = None
    if isinstance(tou, Mapping):
        peak, valley = _kwh(_required(tou, "peak_kwh"), "peak_kwh"), _kwh(_required(tou, "valley_kwh"), "valley_kwh")
    elif tou is True:
        if intervals is None:
            raise InvalidInput("missing_field", "time_of_use: true needs intervals; otherwise give {peak_kwh, valley_kwh}")
        peak, valley = engine.split_residential_tou(intervals)
    elif tou not in (None, False):
        raise InvalidInput("bad_time_of_use", "time_of_use must be {peak_kwh, valley_kwh}")
    if kwh is None:
        if peak is None or valley is None:
            raise InvalidInput("missing_field", "kwh is required for tariff residential_tiered")
        kwh = peak + valley
    return engine.residential(
        period,
        kwh,
        _kwh(case.get("prior_kwh_this_year") or 0, "prior_kwh_this_year"),
        large_household=large,
        low_income=_flag(case, "low_income"),
        peak_kwh=peak,
        valley_kwh=valley,
    )


def late_fee_case(engine: BillingEngine, case: Mapping[str, Any]) -> LateFee:
    """A late_fee case, parsed and priced (the gateway's late_fee uses it too)."""
    customer_class = case.get("customer_class")
    if customer_class not in CUSTOMER_CLASSES:
        raise InvalidInput("bad_customer_class", f"customer_class must be one of {', '.join(CUSTOMER_CLASSES)}")
    amount = _decimal(_required(case, "amount"), "amount")
    if amount < 0:
        raise InvalidInput("invalid_amount", f"amount must not be negative (got {amount})")
    paid_on = _date(case.get("paid_on") or case.get("as_of"), "paid_on")
    return engine.late_fee(
        customer_class == "residential", Period.parse(_required(case, "bill_period")), amount, paid_on
    )


# -- rendering -------------------------------------------------------------------


def money_str(amount: Decimal) -> str:
    """Two decimals, never ``-0.00``."""
    return str(money(amount) + 0)


def kwh_json(value: Decimal) -> int | float:
    """kWh as a JSON number: whole numbers stay integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def price_str(price: Decimal) -> str:
    return str(price.quantize(Decimal("0.0001"))) if price == price.quantize(Decimal("0.0001")) else str(price)


def render_bill(result: BillResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tariff": result.tariff,
        "period": str(result.period),
        "kwh": kwh_json(result.kwh),
        "total": money_str(result.total),
        "lines": [
            {
                "code": line.code,
                "label": line.label,
                "kwh": None if line.kwh is None else kwh_json(line.kwh),
                "price": None if line.price is None else price_str(line.price),
                "amount": money_str(line.amount),
            }
            for line in result.lines
        ],
    }
    if result.tier_kwh is not None:
        out["tier_kwh"] = [kwh_json(t) for t in result.tier_kwh]
        out["tier_thresholds_kwh"] = [kwh_json(t) for t in result.tier_thresholds_kwh or ()]
    if result.kwh_by_period is not None:
        out["kwh_by_period"] = {k: kwh_json(v) for k, v in result.kwh_by_period.items()}
    if result.power_factor is not None and result.pf_adjust_pct is not None:
        out["power_factor"] = str(result.power_factor)
        out["pf_adjust_pct"] = money_str(result.pf_adjust_pct)
    return out


def render_late_fee(fee: LateFee, bill_period: str) -> dict[str, Any]:
    return {
        "tariff": "late_fee",
        "bill_period": bill_period,
        "total": money_str(fee.amount),
        "due_on": fee.due_on.isoformat(),
        "days_overdue": fee.days_overdue,
        "segments": [
            {
                "from": s.first_day.isoformat(),
                "to": s.last_day.isoformat(),
                "days": s.days,
                "daily_rate": str(s.daily_rate),
            }
            for s in fee.segments
        ],
        "lines": [{"code": "late_fee", "label": "电费违约金", "kwh": None, "price": None, "amount": money_str(fee.amount)}],
    }


# -- entry points ----------------------------------------------------------------


def quote(case: dict, engine: BillingEngine | None = None) -> dict:
    """Price one case; raises :class:`InvalidInput` for anything that cannot be billed."""
    if not isinstance(case, Mapping):
        raise InvalidInput("bad_case", "a case must be a JSON object")
    engine = engine or default_engine()
    tariff = case.get("tariff")
    if tariff not in TARIFFS:
        raise InvalidInput("unknown_tariff", f"unknown tariff {tariff!r}; expected one of {', '.join(TARIFFS)}")
    if tariff == "late_fee":
        return render_late_fee(late_fee_case(engine, case), str(case.get("bill_period")))
    period = Period.parse(_required(case, "period"))
    if tariff == "residential_tiered":
        return render_bill(residential_case(engine, case, period))
    if tariff == "commercial_single_part":
        return render_bill(engine.commercial(period, _period_energy(engine, case, period, two_part=False)))
    return render_bill(
        engine.large_industrial(
            period,
            _period_energy(engine, case, period, two_part=True),
            _decimal(_required(case, "max_demand_kw"), "max_demand_kw"),
            _kwh(_required(case, "kvarh"), "kvarh"),
        )
    )


_ENGINE: BillingEngine | None = None


def default_engine() -> BillingEngine:
    """One engine per process on the packaged tariffs."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = BillingEngine()
    return _ENGINE


def main(stdin: Any = None, stdout: Any = None, stderr: Any = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        case = json.loads(stdin.read())
    except UnicodeDecodeError:
        print("error: malformed_json: input is not UTF-8 text", file=stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"error: malformed_json: input is not valid JSON ({exc.msg}, line {exc.lineno})", file=stderr)
        return 2
    try:
        result = quote(case)
    except CoreError as exc:
        print(f"error: {exc.code}: {exc.message}", file=stderr)
        return 2
    json.dump(result, stdout, ensure_ascii=False)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
