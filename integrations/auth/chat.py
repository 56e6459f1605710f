"""Web chat sessions: a token per sender, so that a customer reads only their own conversation.

The widget keeps {sender, token} in localStorage and sends the token with every
request; the hub stores only the token's SHA-256.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from integrations.auth.tokens import digest, new_token
from integrations.models import ChatSession

KNOWN_SENDERS = 100_000  # remembered answers of admits(), oldest dropped first


class ChatSessions:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        self._known: dict[str, str | None] = {}  # sender -> token hash (None: no session)

    def create(self) -> tuple[str, str]:
        """A new sender with its token."""
        sender, token = f"web-{secrets.token_hex(12)}", new_token()
        with self._sessions.begin() as session:
            session.add(ChatSession(sender=sender, token_hash=digest(token)))
        self._known[sender] = digest(token)
        return sender, token

    def sender_of(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._sessions() as session:
            row = session.scalar(select(ChatSession).where(ChatSession.token_hash == digest(token)))
            return row.sender if row else None

    def admits(self, sender: str, token: str | None) -> bool:
        """A REST turn of ``sender`` may go on: it holds no session, or this is its token.

        A sender's session never changes once made (new sessions get new sender ids), so
        the answer is remembered: one query per sender, not one per turn."""
        if sender not in self._known:
            with self._sessions() as session:
                row = session.get(ChatSession, sender)
            if len(self._known) >= KNOWN_SENDERS:
                self._known.pop(next(iter(self._known)))
            self._known[sender] = row.token_hash if row else None
        return bool(self.admits_known(sender, token))

    def admits_known(self, sender: str, token: str | None) -> bool | None:
        """``admits`` from memory alone (no database, so no thread hop); None when not known yet."""
        if sender not in self._known:
            return None
        expected = self._known[sender]
        return expected is None or (bool(token) and hmac.compare_digest(expected, digest(token or "")))

    def check(self, sender: str, token: str | None) -> bool:
        """Whether ``token`` is this sender's."""
        with self._sessions() as session:
            row = session.get(ChatSession, sender)
            return row is not None and bool(token) and hmac.compare_digest(row.token_hash, digest(token or ""))
