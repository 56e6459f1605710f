"""GET /api/billing/late-fee, /energy-cost, /demand-charge: the billing engine on one question's figures.

Query values are taken as text and checked by the core itself, so the HTTP API
refuses bad input with the same codes as the in-process gateway (422, never a
500). Unlike the public quote these sit behind the service token.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backend_core.api.deps import gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import DemandCharge, EnergyCost, LateFeeQuote

router = APIRouter(prefix="/api/billing", tags=["billing"], responses=documented(422))


def _flag(value: str | None) -> bool | str:
    """``true``/``false`` as the HTTP gateway sends them; anything else goes on for the core to refuse."""
    if value is None:
        return False
    return {"true": True, "false": False}.get(value.strip().lower(), value)


@router.get("/late-fee")
def late_fee(
    amount: str | None = None,
    customer_class: str | None = None,
    days_late: str | None = None,
    bill_period: str | None = None,
    gw: EmbeddedGateway = Depends(gateway),
) -> LateFeeQuote:
    """Late fee of ``amount`` paid ``days_late`` days after the due date of ``bill_period``
    (default: the latest issued month); customer_class: residential, non_residential, commercial, large_industrial."""
    return gw.late_fee(amount, customer_class, days_late, bill_period)  # type: ignore[arg-type]  # checked by the core


@router.get("/energy-cost")
def energy_cost(
    kwh: str | None = None,
    prior_kwh_this_year: str = "0",
    large_household: str | None = None,
    low_income: str | None = None,
    peak_kwh: str | None = None,
    valley_kwh: str | None = None,
    period: str | None = None,
    gw: EmbeddedGateway = Depends(gateway),
) -> EnergyCost:
    """A residential month of ``kwh`` after ``prior_kwh_this_year`` kWh this calendar year, as billed."""
    return gw.energy_cost(
        kwh,  # type: ignore[arg-type]  # checked by the core
        prior_kwh_this_year,  # type: ignore[arg-type]
        _flag(large_household),  # type: ignore[arg-type]
        _flag(low_income),  # type: ignore[arg-type]
        peak_kwh,  # type: ignore[arg-type]
        valley_kwh,  # type: ignore[arg-type]
        period,
    )


@router.get("/demand-charge")
def demand_charge(max_demand_kw: str | None = None, gw: EmbeddedGateway = Depends(gateway)) -> DemandCharge:
    """Large-industrial demand charge (基本电费) of one month's maximum demand."""
    return gw.demand_charge(max_demand_kw)  # type: ignore[arg-type]  # checked by the core
