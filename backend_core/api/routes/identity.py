"""Identity checks (户号 + last 4 digits of the registered mobile), per conversation."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import Verification

router = APIRouter(prefix="/api/identity", tags=["identity"], responses=documented(422))


class VerifyRequest(BaseModel):
    account_no: Text
    phone_last4: Text
    session_id: Text


class Verified(BaseModel):
    verified: bool


@router.post("/verify", responses=documented(400))
def verify(body: VerifyRequest, gw: EmbeddedGateway = Depends(gateway)) -> Verification:
    return gw.verify_identity(body.account_no, body.phone_last4, body.session_id)


@router.get("/verified")
def verified(account_no: Text, session_id: Text, gw: EmbeddedGateway = Depends(gateway)) -> Verified:
    return Verified(verified=gw.is_verified(account_no, session_id))
