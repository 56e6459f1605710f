"""Working days for appointments, from the territory's calendar (public holidays and
调休 working weekends included), which the core supplies through the gateway."""

from __future__ import annotations

from datetime import date

from actions.kernel.gateway import get_gateway


def is_working_day(day: date) -> bool:
    return get_gateway().is_working_day(day)
