"""Monthly usage and the year's tier position."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backend_core.api.deps import gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import Usage

router = APIRouter(prefix="/api/accounts", tags=["usage"], responses=documented(404, 422))


@router.get("/{account_no}/usage")
def get_usage(
    account_no: str, start: str | None = None, end: str | None = None, gw: EmbeddedGateway = Depends(gateway)
) -> Usage:
    """Months ``start``..``end`` (YYYY-MM, default: the last 12 closed months)."""
    return gw.get_usage(account_no, start, end)
