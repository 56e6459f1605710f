"""service_rules.yml figures that exist only in prose are read from it, and a lost one fails at load time."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from backend_core.services.rules import RULES_FILE, load_rules, parse_rules

RAW = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def test_prose_figures_are_read() -> None:
    rules = load_rules()
    assert rules.meter_test_fee_yuan == Decimal(30) and rules.meter_test_fee_refunded_when_out_of_tolerance
    assert (rules.identity_max_failures, rules.identity_lock_minutes) == (3, 30)
    assert (rules.disconnection_after_overdue_days, rules.disconnection_notice_days_residential) == (30, 7)
    assert rules.temporary_outage_notice_hours == 24 and str(rules.agent_hours) == "08:00-20:00"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("service_requests", "apply_meter_check", "rule"), "a test fee applies; bills stay payable meanwhile"),
        (("identity_and_privacy", "failed_attempts"), "lock the conversation for a while"),
        (("handoff", "hours"), "agents in office hours"),
    ],
)
def test_a_figure_lost_from_the_wording_fails_loudly(path: tuple[str, ...], text: str) -> None:
    raw = copy.deepcopy(RAW)
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    with pytest.raises(ValueError, match=r"service_rules\.yml"):
        parse_rules(raw)
