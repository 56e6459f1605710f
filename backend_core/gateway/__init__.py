"""The gateway to the core: the contract (``interfaces``) and its two implementations.

:func:`make_gateway` picks one from settings: ``embedded`` (default) opens the
core's database in-process, ``http`` calls a core API deployed apart. Imports are
deferred so that importing the contract never pulls in SQLAlchemy or httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend_core.core.config import CoreSettings
    from backend_core.gateway.interfaces import CoreGateway
    from backend_core.workdays import WorkCalendar


def make_gateway(settings: CoreSettings | None = None) -> CoreGateway:
    from backend_core.core.clock import clock_from_settings
    from backend_core.core.config import CoreSettings

    settings = settings or CoreSettings()
    if settings.gateway == "http":
        from backend_core.gateway.http import HttpGateway

        return HttpGateway(settings.base_url, settings.service_token)
    from backend_core.db import make_engine, make_session_factory
    from backend_core.gateway.embedded import EmbeddedGateway
    from backend_core.services.context import CoreContext
    from backend_core.services.rules import agent_hours

    factory = make_session_factory(make_engine(settings.database_url, echo=settings.sql_echo))
    return EmbeddedGateway(factory, CoreContext(clock=clock_from_settings(settings), agent_hours=agent_hours(settings)))


def work_calendar() -> WorkCalendar:
    """The territory's working-day calendar (weekends, public holidays, 调休 days).

    Part of the contract because callers quote deadlines and offer appointment dates in
    working days; a real utility system supplies its own calendar here.
    """
    from backend_core.workdays import load_calendar

    return load_calendar()
