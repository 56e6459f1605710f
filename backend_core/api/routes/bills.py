"""Bills, their explanation and arrears with late fees to a given day."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query

from backend_core.api.deps import gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import Arrears, Bill, BillExplanation

router = APIRouter(prefix="/api/accounts", tags=["bills"], responses=documented(404, 422))


@router.get("/{account_no}/bills")
def list_bills(account_no: str, limit: int = Query(12, ge=1, le=60), gw: EmbeddedGateway = Depends(gateway)) -> list[Bill]:
    return gw.list_bills(account_no, limit)


@router.get("/{account_no}/bill")
def get_bill(account_no: str, period: str | None = None, gw: EmbeddedGateway = Depends(gateway)) -> Bill:
    """The bill of ``period`` (YYYY-MM), or the latest issued one."""
    return gw.get_bill(account_no, period)


@router.get("/{account_no}/bill/explanation")
def explain_bill(account_no: str, period: str | None = None, gw: EmbeddedGateway = Depends(gateway)) -> BillExplanation:
    return gw.explain_bill(account_no, period)


@router.get("/{account_no}/arrears")
def get_arrears(account_no: str, as_of: date | None = None, gw: EmbeddedGateway = Depends(gateway)) -> Arrears:
    return gw.get_arrears(account_no, as_of)
