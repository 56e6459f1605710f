"""The core's notion of "now": local time of the service territory, injectable for tests.

Bills, deadlines and late fees are counted in local calendar days, so every
timestamp the core stores is naive local time (Asia/Shanghai by default). A
fixed date (CORE_TODAY or ``--today``) freezes the calendar day for demos and
checks; tests may freeze the full time and move it forward.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backend_core.core.config import CoreSettings


class Clock:
    def __init__(self, timezone: str = "Asia/Shanghai", today: date | None = None, fixed: datetime | None = None) -> None:
        self._zone = ZoneInfo(timezone)
        self._today = today
        self._fixed = fixed

    def local(self, moment: datetime) -> datetime:
        """``moment`` as the core stores it: naive local time (one with an offset is converted)."""
        return moment if moment.tzinfo is None else moment.astimezone(self._zone).replace(tzinfo=None)

    def now(self) -> datetime:
        if self._fixed is not None:
            return self._fixed
        real = datetime.now(self._zone).replace(tzinfo=None)
        if self._today is not None:
            return datetime.combine(self._today, real.time())
        return real

    def today(self) -> date:
        return self.now().date()

    def advance(self, delta: timedelta) -> None:
        """Move a frozen clock forward (tests of locks and cut-offs)."""
        if self._fixed is None:
            raise RuntimeError("only a clock with a fixed time can be advanced")
        self._fixed += delta


def clock_from_settings(settings: CoreSettings) -> Clock:
    return Clock(settings.timezone, today=settings.today)

