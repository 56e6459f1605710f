"""Typed view of ``data/service_rules.yml``: the service commitments the core counts deadlines from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "service_rules.yml"


@dataclass(frozen=True)
class ServiceRules:
    hotline: str
    repair_arrival_minutes: dict[str, int]
    repair_restore_hours_after_arrival: dict[str, int]
    planned_outage_notice_days: int
    new_connection_working_days: dict[str, int]
    meter_test_result_working_days: int
    meter_data_query_answer_working_days: int
    complaint_first_contact_hours: int
    complaint_answer_working_days: int
    reconnection_after_arrears_paid_hours: int
    identity_max_failures: int
    identity_lock_minutes: int
    agent_hours: tuple[time, time]
    work_order_states: tuple[str, ...]


def _first_int(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    if not match:
        raise ValueError(f"service_rules.yml: cannot read {pattern!r} from {text!r}")
    return int(match.group(1))


def parse_rules(raw: dict[str, Any]) -> ServiceRules:
    commitments = raw["service_commitments"]
    failed = raw["identity_and_privacy"]["failed_attempts"]
    hours = re.search(r"(\d{2}:\d{2})-(\d{2}:\d{2})", raw["handoff"]["hours"])
    if not hours:
        raise ValueError("service_rules.yml: handoff.hours has no HH:MM-HH:MM range")
    return ServiceRules(
        hotline=str(raw["hotline"]),
        repair_arrival_minutes={k: int(v) for k, v in commitments["repair_arrival_minutes"].items()},
        repair_restore_hours_after_arrival={
            k: int(v) for k, v in commitments["repair_restore_hours_after_arrival"].items()
        },
        planned_outage_notice_days=int(commitments["planned_outage_notice_days"]),
        new_connection_working_days={k: int(v) for k, v in commitments["new_connection_working_days"].items()},
        meter_test_result_working_days=int(commitments["meter_test_result_working_days"]),
        meter_data_query_answer_working_days=int(commitments["meter_data_query_answer_working_days"]),
        complaint_first_contact_hours=int(commitments["complaint"]["first_contact_hours"]),
        complaint_answer_working_days=int(commitments["complaint"]["answer_working_days"]),
        reconnection_after_arrears_paid_hours=int(commitments["reconnection_after_arrears_paid_hours"]),
        identity_max_failures=_first_int(r"after (\d+) failed", failed),
        identity_lock_minutes=_first_int(r"(\d+) minutes", failed),
        agent_hours=(time.fromisoformat(hours.group(1)), time.fromisoformat(hours.group(2))),
        work_order_states=tuple(raw["work_order"]["states"]),
    )


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES_FILE) -> ServiceRules:
    with open(path, encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh))
