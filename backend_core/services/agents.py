"""Console agents: who may log in to the agent console, checked against the stored hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.gateway.interfaces import AgentIdentity
from backend_core.passwords import verify_password

MAX_INPUT = 200  # longer user names or passwords are not ours; refuse before hashing


def authenticate_agent(session: Session, username: str, password: str) -> AgentIdentity | None:
    """The active agent with these credentials, or None (the same None for every failure,
    so the answer never says which user names exist)."""
    if not username or not password or len(username) > MAX_INPUT or len(password) > MAX_INPUT:
        return None
    agent = session.scalar(select(models.Agent).where(models.Agent.username == username, models.Agent.active.is_(True)))
    if agent is None or not verify_password(password, agent.password_hash):
        return None
    return AgentIdentity(username=agent.username, display_name=agent.display_name)
