"""POST /api/billing/quote: the CLI's input and output over HTTP (public: tariffs are public)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from backend_core.api.deps import gateway
from backend_core.gateway.embedded import EmbeddedGateway

router = APIRouter(prefix="/api/billing", tags=["billing"])

EXAMPLE = {"tariff": "residential_tiered", "period": "2026-10", "kwh": 420, "prior_kwh_this_year": 2500}


@router.post("/quote")
def quote(
    case: Any = Body(..., openapi_examples={"R2": {"summary": "tier 2 crossing", "value": EXAMPLE}}),
    gw: EmbeddedGateway = Depends(gateway),
) -> dict[str, Any]:
    """Price one case of billing_cases.yml's form exactly as ``python -m backend_core.billing.quote`` does."""
    return gw.quote(case)
