"""Why no power: the planned outage while it runs, else the meter, else unknown with the commitment."""

from __future__ import annotations

from datetime import datetime

from backend_core.core.clock import Clock


def test_during_the_planned_outage_the_cause_is_planned(fresh_db) -> None:
    gw = fresh_db.gateway(Clock(fixed=datetime(2026, 11, 23, 10, 0)))
    diagnosis = gw.diagnose_outage("3300012347")
    assert diagnosis.cause == "planned" and diagnosis.outage is not None
    assert diagnosis.outage.status == "active" and any("17:00" in a for a in diagnosis.advice)


def test_before_the_planned_outage_it_is_announced_but_not_the_cause(fresh_db) -> None:
    diagnosis = fresh_db.gateway().diagnose_outage("3300012347")
    assert diagnosis.cause == "unknown" and diagnosis.repair_arrival_minutes == 45
    assert any("线路检修" in a for a in diagnosis.advice)
