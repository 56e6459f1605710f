"""The bot's notion of "now": local time of the service territory.

Relative dates (上个月), "today" in late fees and the agents' working hours all
depend on it. CORE_TODAY, the core's fixed business date for demos, fixes the
bot's calendar day too, so both sides agree on what 上个月 means; tests pin the
full time through :data:`pinned`.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
AGENT_HOURS = (time(8, 0), time(20, 0))  # service_rules.yml handoff.hours, every day
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


def agents_on_duty(moment: datetime | None = None) -> bool:
    """Whether human agents answer now (08:00-20:00 local, every day)."""
    local = (moment or now()).astimezone(LOCAL_TZ)
    start, end = AGENT_HOURS
    return start <= local.time() < end
