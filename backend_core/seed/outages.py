"""Outages of the demo world: 王五's planned outage (relative to the seeding moment) and a few elsewhere.

Only the planned outage on 王五's feeder touches a demo customer; the others
sit on feeders of generated customers, so the demo customers' diagnoses stay as
demo_customers.yml implies.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.seed.specs import AREAS, demo_planned_outage

_RELATIVE = re.compile(r"^\+(\d+) days? (\d{2}:\d{2})$")


def relative_time(text: str, now: datetime) -> datetime:
    match = _RELATIVE.match(text.strip())
    if not match:
        raise ValueError(f"relative time must look like '+3 days 08:00', got {text!r}")
    return datetime.combine(now.date() + timedelta(days=int(match.group(1))), time.fromisoformat(match.group(2)))


def _feeder_areas(session: Session, feeder: str) -> list[str]:
    known = {a for area in AREAS if area.feeder == feeder for a in area.transformer_areas}
    known |= set(session.scalars(select(models.ServicePoint.transformer_area).where(models.ServicePoint.feeder == feeder)))
    return sorted(known)


def _outage(no: str, now: datetime, areas: list[str], **values: object) -> models.Outage:
    outage = models.Outage(outage_no=no, source="seed", created_at=now, **values)
    outage.areas = [models.OutageArea(transformer_area=a) for a in areas]
    return outage


def write_outages(session: Session, now: datetime) -> None:
    """Replace the seeded outages with ones placed relative to ``now``."""
    session.execute(delete(models.Outage).where(models.Outage.source == "seed"))
    session.flush()
    planned = demo_planned_outage()
    start, end = relative_time(planned["relative_start"], now), relative_time(planned["relative_end"], now)
    feeder = planned["feeder"]
    areas = _feeder_areas(session, feeder)
    session.add(
        _outage(
            f"TD{start:%Y%m%d}0001",
            now,
            areas,
            kind="planned",
            status="scheduled",
            feeder=feeder,
            whole_feeder=True,
            scope=f"{feeder}（{'、'.join(areas)}）",
            start=start,
            end=end,
            estimated_restore=end,
            reason=planned["reason"],
            notice_published_at=start - timedelta(days=7),
        )
    )
    fault_start = now - timedelta(minutes=50)
    session.add(
        _outage(
            f"TD{fault_start:%Y%m%d}0002",
            now,
            ["和平里台区"],
            kind="fault",
            status="active",
            feeder="城西10kV和平线",
            whole_feeder=False,
            scope="城西10kV和平线 和平里台区",
            start=fault_start,
            end=None,
            estimated_restore=now + timedelta(hours=2, minutes=30),
            reason="台区低压电缆故障，抢修中",
            notice_published_at=fault_start + timedelta(minutes=20),
        )
    )
    later = datetime.combine(now.date() + timedelta(days=10), time(7, 30))
    session.add(
        _outage(
            f"TD{later:%Y%m%d}0003",
            now,
            _feeder_areas(session, "白云10kV山岭线"),
            kind="planned",
            status="scheduled",
            feeder="白云10kV山岭线",
            whole_feeder=True,
            scope="白云10kV山岭线（岭头村台区、云溪村台区）",
            start=later,
            end=later + timedelta(hours=9),
            estimated_restore=later + timedelta(hours=9),
            reason="线路改造",
            notice_published_at=later - timedelta(days=7),
        )
    )
