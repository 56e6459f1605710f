"""POST /api/billing/quote: the CLI's input and output over HTTP (public: tariffs are public).

The body is read as JSON whatever Content-Type the client sends, exactly as the
CLI reads standard input.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request

from backend_core.api.deps import gateway
from backend_core.api.errors import documented
from backend_core.errors import CoreError
from backend_core.gateway.embedded import EmbeddedGateway

router = APIRouter(prefix="/api/billing", tags=["billing"])

EXAMPLE = {"tariff": "residential_tiered", "period": "2026-10", "kwh": 420, "prior_kwh_this_year": 2500}
BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "description": "one case of billing_cases.yml (without `expected`)"},
                "examples": {"R2": {"summary": "a month crossing into tier 2", "value": EXAMPLE}},
            }
        },
    }
}


@router.post("/quote", openapi_extra=BODY_DOC, responses=documented(400, 422))
async def quote(request: Request, gw: EmbeddedGateway = Depends(gateway)) -> dict[str, Any]:
    """Price one case exactly as ``python -m backend_core.billing.quote`` does."""
    try:
        case = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise CoreError("malformed_json", "request body is not valid JSON", 400) from None
    return gw.quote(case)
