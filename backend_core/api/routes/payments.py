"""Payments: idempotent posting, history and the paid-but-no-power diagnosis."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import BaseModel

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import Payment, PaymentDiagnosis

router = APIRouter(prefix="/api/accounts", tags=["payments"], responses=documented(404, 422))


class PaymentIn(BaseModel):
    amount: Decimal
    channel: Text
    paid_at: datetime | None = None


@router.get("/{account_no}/payments")
def payment_history(
    account_no: str, limit: int = Query(6, ge=1, le=60), gw: EmbeddedGateway = Depends(gateway)
) -> list[Payment]:
    return gw.payment_history(account_no, limit)


@router.post("/{account_no}/payments", status_code=201, responses={
    200: {"model": Payment, "description": "the payment this Idempotency-Key already posted (Idempotent-Replayed: true)"},
    **documented(400, 409),
})
def post_payment(
    account_no: str,
    body: PaymentIn,
    response: Response,
    idempotency_key: str = Header(alias="Idempotency-Key"),
    gw: EmbeddedGateway = Depends(gateway),
) -> Payment:
    """Post a payment. Repeating the same Idempotency-Key returns the first payment (200) and changes nothing."""
    payment, replayed = gw.post_payment_replay(account_no, body.amount, body.channel, idempotency_key, body.paid_at)
    if replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return payment


@router.get("/{account_no}/payments/diagnosis")
def diagnose_payment(account_no: str, gw: EmbeddedGateway = Depends(gateway)) -> PaymentDiagnosis:
    return gw.diagnose_payment(account_no)
