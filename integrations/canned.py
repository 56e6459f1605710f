"""The agents' canned responses: a list every agent can edit, starting from data/canned.yml."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from integrations.models import CannedResponse

DEFAULTS = Path(__file__).resolve().parent / "data" / "canned.yml"


class CannedResponses:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def all(self) -> list[CannedResponse]:
        with self._sessions.begin() as session:
            if not session.scalar(select(func.count(CannedResponse.id))):
                with open(DEFAULTS, encoding="utf-8") as fh:
                    session.add_all(CannedResponse(title=r["title"], text=r["text"]) for r in yaml.safe_load(fh))
                session.flush()
            rows = list(session.scalars(select(CannedResponse).order_by(CannedResponse.id)))
            session.expunge_all()
            return rows

    def add(self, title: str, text: str, username: str) -> CannedResponse:
        with self._sessions.begin() as session:
            row = CannedResponse(title=title, text=text, updated_by=username)
            session.add(row)
            session.flush()
            session.refresh(row)
            session.expunge(row)
            return row

    def change(self, response_id: int, title: str, text: str, username: str) -> bool:
        with self._sessions.begin() as session:
            row = session.get(CannedResponse, response_id)
            if row is None:
                return False
            row.title, row.text, row.updated_by = title, text, username
            return True

    def remove(self, response_id: int) -> bool:
        with self._sessions.begin() as session:
            row = session.get(CannedResponse, response_id)
            if row is None:
                return False
            session.delete(row)
            return True
