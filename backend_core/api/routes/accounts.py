"""Account summary, prepaid status, TOU advice and the contact-phone change."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import AccountSummary, PrepaidStatus, TouAdvice

router = APIRouter(prefix="/api/accounts", tags=["accounts"], responses=documented(404, 422))


class ContactChange(BaseModel):
    new_phone: Text
    session_id: Text


@router.get("/{account_no}")
def account_summary(account_no: str, gw: EmbeddedGateway = Depends(gateway)) -> AccountSummary:
    return gw.account_summary(account_no)


@router.get("/{account_no}/prepaid")
def prepaid_status(account_no: str, gw: EmbeddedGateway = Depends(gateway)) -> PrepaidStatus:
    return gw.get_prepaid_status(account_no)


@router.get("/{account_no}/tou-advice")
def tou_advice(account_no: str, gw: EmbeddedGateway = Depends(gateway)) -> TouAdvice:
    return gw.tou_advice(account_no)


@router.put("/{account_no}/contact-phone", responses=documented(400, 403))
def update_contact_phone(account_no: str, body: ContactChange, gw: EmbeddedGateway = Depends(gateway)) -> AccountSummary:
    return gw.update_contact_phone(account_no, body.new_phone, body.session_id)
