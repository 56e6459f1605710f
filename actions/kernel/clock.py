"""The bot's notion of "now": local time of the service territory.

Relative dates (上个月) and "today" in late fees depend on it. CORE_TODAY, the core's fixed business date for demos, fixes the
bot's calendar day too, so both sides agree on what 上个月 means; tests pin the
full time through :data:`pinned`.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
pinned: datetime | None = None  # set by tests


def now() -> datetime:
    """Current local time (aware)."""
    if pinned is not None:
        return pinned
    real = datetime.now(LOCAL_TZ)
    business_day = os.environ.get("CORE_TODAY")
    if business_day:
        return datetime.combine(date.fromisoformat(business_day), real.timetz())
    return real


def today() -> date:
    return now().date()
