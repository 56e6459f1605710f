"""Console agents' credentials, checked for the conversation hub's login."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from backend_core.api.deps import Text, gateway
from backend_core.api.errors import documented
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import AgentIdentity

router = APIRouter(prefix="/api/agents", tags=["agents"], responses=documented(400, 422))


class Credentials(BaseModel):
    username: Text
    password: Text


class Authenticated(BaseModel):
    agent: AgentIdentity | None  # null: wrong user name or password (which, is not said)


@router.post("/authenticate")
async def authenticate(body: Credentials, gw: EmbeddedGateway = Depends(gateway)) -> Authenticated:
    """Argon2 is slow on purpose; it runs off the event loop."""
    return Authenticated(agent=await run_in_threadpool(gw.authenticate_agent, body.username, body.password))
