"""Typed view of ``data/service_rules.yml``: the service commitments the core counts deadlines from.

Some figures are only written in prose in the file (the meter-test fee in
``apply_meter_check``'s rule, the identity lock, the disconnection notice): they are
read from that prose here, and a change of wording that loses one fails loudly at
load time instead of leaving a caller to type the number. The file is a packaged
copy of the project's spec and is never edited to suit the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from backend_core.gateway.interfaces import AgentHours

if TYPE_CHECKING:
    from backend_core.core.config import CoreSettings

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "service_rules.yml"


@dataclass(frozen=True)
class ServiceRules:
    hotline: str
    repair_arrival_minutes: dict[str, int]
    repair_restore_hours_after_arrival: dict[str, int]
    planned_outage_notice_days: int
    temporary_outage_notice_hours: int
    new_connection_working_days: dict[str, int]
    meter_test_result_working_days: int
    meter_test_fee_yuan: Decimal  # single-phase, from apply_meter_check's rule
    meter_test_fee_refunded_when_out_of_tolerance: bool
    meter_data_query_answer_working_days: int
    complaint_first_contact_hours: int
    complaint_answer_working_days: int
    reconnection_after_arrears_paid_hours: int
    disconnection_after_overdue_days: int
    disconnection_notice_days_residential: int
    identity_max_failures: int
    identity_lock_minutes: int
    agent_hours: AgentHours  # the file's handoff.hours; AGENT_HOURS may override it (see agent_hours())
    work_order_states: tuple[str, ...]


def _first(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise ValueError(f"service_rules.yml: cannot read {pattern!r} from {text!r}")
    return match.group(1)


def _first_int(pattern: str, text: str) -> int:
    return int(_first(pattern, text))


def parse_rules(raw: dict[str, Any]) -> ServiceRules:
    commitments = raw["service_commitments"]
    failed = raw["identity_and_privacy"]["failed_attempts"]
    meter_check = raw["service_requests"]["apply_meter_check"]["rule"]
    disconnection = commitments["disconnection_for_arrears"]
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
        temporary_outage_notice_hours=int(commitments["temporary_outage_notice_hours"]),
        new_connection_working_days={k: int(v) for k, v in commitments["new_connection_working_days"].items()},
        meter_test_result_working_days=int(commitments["meter_test_result_working_days"]),
        meter_test_fee_yuan=Decimal(_first(r"test fee (\d+(?:\.\d+)?) yuan \(single-phase\)", meter_check)),
        meter_test_fee_refunded_when_out_of_tolerance="refunded when the meter is out of tolerance" in meter_check,
        meter_data_query_answer_working_days=int(commitments["meter_data_query_answer_working_days"]),
        complaint_first_contact_hours=int(commitments["complaint"]["first_contact_hours"]),
        complaint_answer_working_days=int(commitments["complaint"]["answer_working_days"]),
        reconnection_after_arrears_paid_hours=int(commitments["reconnection_after_arrears_paid_hours"]),
        disconnection_after_overdue_days=_first_int(r"after (\d+) days overdue", disconnection),
        disconnection_notice_days_residential=_first_int(r"notice (\d+) days ahead for residents", disconnection),
        identity_max_failures=_first_int(r"after (\d+) failed", failed),
        identity_lock_minutes=_first_int(r"(\d+) minutes", failed),
        agent_hours=AgentHours.parse(f"{hours.group(1)}-{hours.group(2)}", source="service_rules.yml"),
        work_order_states=tuple(raw["work_order"]["states"]),
    )


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES_FILE) -> ServiceRules:
    with open(path, encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh))


def agent_hours(settings: CoreSettings | None = None, rules: ServiceRules | None = None) -> AgentHours:
    """The agents' hours in force: ``AGENT_HOURS`` when set, else service_rules.yml's handoff.hours."""
    from backend_core.core.config import CoreSettings

    settings = settings or CoreSettings()
    default = (rules or load_rules()).agent_hours
    if settings.agent_hours:
        return AgentHours.parse(settings.agent_hours, timezone=settings.timezone, source="AGENT_HOURS")
    return default.model_copy(update={"timezone": settings.timezone})
