"""What every service needs besides a session: the engine, the clock, the calendar and the rules.

``agent_hours`` is the rules' hand-over hours with ``AGENT_HOURS`` applied; the
gateway factories pass it from their settings, the default reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backend_core.billing.engine import BillingEngine
from backend_core.billing.quote import default_engine
from backend_core.core.clock import Clock
from backend_core.gateway.interfaces import AgentHours
from backend_core.services.rules import ServiceRules, agent_hours, load_rules
from backend_core.workdays import WorkCalendar, load_calendar


@dataclass
class CoreContext:
    clock: Clock = field(default_factory=Clock)
    engine: BillingEngine = field(default_factory=default_engine)
    calendar: WorkCalendar = field(default_factory=load_calendar)
    rules: ServiceRules = field(default_factory=load_rules)
    agent_hours: AgentHours = field(default_factory=agent_hours)
