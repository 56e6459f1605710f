"""Agent console sessions: login against the core's agent accounts, an HttpOnly cookie,
and a CSRF token every unsafe request must echo in ``X-CSRF-Token``.

The cookie is SameSite=Strict and HttpOnly; the CSRF token is given to the page in the
login answer (and by ``/api/console/me`` after a reload), so a page on another site can
neither read it nor send it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import sessionmaker

from integrations.auth.tokens import digest, new_token
from integrations.models import AgentSession, as_utc, utcnow

COOKIE = "powerdesk_console"
CSRF_HEADER = "X-CSRF-Token"
SEEN_EVERY_S = 15  # last_seen is written at most this often per session


@dataclass(frozen=True)
class Agent:
    username: str
    display_name: str
    csrf_token: str


class AgentSessions:
    def __init__(self, sessions: sessionmaker, hours: int) -> None:
        self._sessions = sessions
        self._ttl = timedelta(hours=hours)

    def start(self, username: str, display_name: str) -> tuple[str, Agent]:
        """A new session: (cookie token, agent with its CSRF token)."""
        token, csrf = new_token(), new_token()
        with self._sessions.begin() as session:
            session.add(AgentSession(
                token_hash=digest(token), username=username, display_name=display_name,
                csrf_token=csrf, expires_at=utcnow() + self._ttl, last_seen=utcnow(),
            ))
        return token, Agent(username, display_name, csrf)

    def find(self, token: str | None) -> Agent | None:
        """The agent of a valid cookie token; marks them as seen (online)."""
        if not token:
            return None
        now = utcnow()
        with self._sessions.begin() as session:
            row = session.scalar(select(AgentSession).where(AgentSession.token_hash == digest(token)))
            if row is None or as_utc(row.expires_at) <= now:
                return None
            if (now - as_utc(row.last_seen)).total_seconds() > SEEN_EVERY_S:
                row.last_seen = now
            return Agent(row.username, row.display_name, row.csrf_token)

    def seen(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(AgentSession).where(AgentSession.token_hash == digest(token)).values(last_seen=utcnow()))

    def end(self, token: str | None) -> None:
        if token:
            with self._sessions.begin() as session:
                session.execute(delete(AgentSession).where(AgentSession.token_hash == digest(token)))


def csrf_ok(agent: Agent, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(agent.csrf_token.encode(), (header or "").encode("utf-8", "replace"))

