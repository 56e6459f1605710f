"""Work orders: create with an Idempotency-Key, read one, list an account's."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import WorkOrder

router = APIRouter(prefix="/api", tags=["work orders"], responses=documented(404, 422))


class WorkOrderIn(BaseModel):
    type: Text
    fields: dict[Text, Text] = Field(default_factory=dict)
    account_no: Text | None = None
    contact_phone: Text | None = None
    urgent: bool = False


@router.post("/work-orders", status_code=201, responses=documented(400, 409))
def create_work_order(
    body: WorkOrderIn,
    idempotency_key: str = Header(alias="Idempotency-Key"),
    gw: EmbeddedGateway = Depends(gateway),
) -> WorkOrder:
    """Create a work order; a retry with the same Idempotency-Key returns the first one."""
    return gw.create_work_order(
        body.type,  # type: ignore[arg-type]  # checked by the service
        body.fields,
        idempotency_key,
        body.account_no,
        body.contact_phone,
        body.urgent,
    )


@router.get("/work-orders/{ticket_no}")
def get_work_order(ticket_no: str, gw: EmbeddedGateway = Depends(gateway)) -> WorkOrder:
    return gw.get_work_order(ticket_no)


@router.get("/accounts/{account_no}/work-orders")
def list_work_orders(
    account_no: str, limit: int = Query(5, ge=1, le=50), gw: EmbeddedGateway = Depends(gateway)
) -> list[WorkOrder]:
    return gw.list_work_orders(account_no, limit)
