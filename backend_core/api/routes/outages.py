"""Outages by account or address, the no-power diagnosis and outage-notice subscriptions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import Outage, OutageDiagnosis, Subscription

router = APIRouter(prefix="/api", tags=["outages"], responses=documented(404, 422))


class SubscriptionIn(BaseModel):
    channel: Text
    target: Text


@router.get("/outages")
def find_outages(
    account_no: Text | None = None,
    address: Text | None = None,
    days_ahead: int = Query(14, ge=0, le=60),
    gw: EmbeddedGateway = Depends(gateway),
) -> list[Outage]:
    """Current and upcoming outages for an account's supply, or for an address (text)."""
    return gw.find_outages(account_no, address, days_ahead)


@router.get("/accounts/{account_no}/outage-diagnosis")
def diagnose_outage(account_no: str, gw: EmbeddedGateway = Depends(gateway)) -> OutageDiagnosis:
    return gw.diagnose_outage(account_no)


@router.post("/accounts/{account_no}/outage-subscriptions", status_code=201, responses=documented(400))
def subscribe(account_no: str, body: SubscriptionIn, gw: EmbeddedGateway = Depends(gateway)) -> Subscription:
    return gw.subscribe_outage_notice(account_no, body.channel, body.target)
