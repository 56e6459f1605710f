"""AGENT_HOURS: the agents' hours, from service_rules.yml unless the environment overrides them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from backend_core.core.clock import Clock
from backend_core.core.config import CoreSettings
from backend_core.gateway.interfaces import AgentHours
from backend_core.services.context import CoreContext
from backend_core.services.rules import agent_hours, load_rules

DAY = datetime(2026, 11, 20)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


def test_default_is_service_rules_handoff_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENT_HOURS", raising=False)
    hours = agent_hours(CoreSettings())
    assert (str(hours), hours.always_staffed, hours.source) == ("08:00-20:00", False, "service_rules.yml")
    assert hours == load_rules().agent_hours
    assert agent_hours(CoreSettings(agent_hours="")) == hours  # empty = unset


def test_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_HOURS", " 07:30 - 21:00 ")
    hours = agent_hours(CoreSettings())
    assert (hours.start, hours.end, hours.source) == ("07:30", "21:00", "AGENT_HOURS")
    assert hours.agents_on_duty(at(7, 30)) and not hours.agents_on_duty(at(7, 29, 59))
    assert hours.agents_on_duty(at(20, 59, 59)) and not hours.agents_on_duty(at(21))


def test_always_staffed_with_24_00(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_HOURS", "00:00-24:00")
    hours = agent_hours(CoreSettings())
    assert hours.always_staffed and (hours.start, hours.end) == ("00:00", "24:00")
    assert all(hours.agents_on_duty(at(h, 59, 59)) for h in range(24)) and hours.agents_on_duty(at(0))
    assert hours.shift_end(at(15)) == datetime(2026, 11, 21, 0, 0)


def test_a_shift_ending_at_24_00_covers_the_last_minute_only_until_midnight() -> None:
    hours = AgentHours.parse("20:00-24:00")
    assert not hours.always_staffed
    assert hours.agents_on_duty(at(23, 59, 59)) and hours.agents_on_duty(at(20))
    assert not hours.agents_on_duty(at(0)) and not hours.agents_on_duty(at(19, 59))
    assert hours.shift_end(at(21)) == datetime(2026, 11, 21, 0, 0) == hours.shift_end(at(3))


def test_a_night_shift_wraps_past_midnight() -> None:
    hours = AgentHours.parse("22:00-06:00")
    assert hours.agents_on_duty(at(23)) and hours.agents_on_duty(at(5, 59)) and not hours.agents_on_duty(at(6))
    assert hours.shift_end(at(23)) == datetime(2026, 11, 21, 6, 0) and hours.shift_end(at(5)) == at(6)


def test_aware_moments_are_read_in_local_time() -> None:
    hours = AgentHours.parse("08:00-20:00", timezone="Asia/Shanghai")
    assert hours.agents_on_duty(datetime(2026, 11, 20, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    assert not hours.agents_on_duty(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))  # 20:00 in Shanghai


@pytest.mark.parametrize(
    "value", ["8-20", "08:00", "08:00-20", "24:00-08:00", "08:00-24:01", "08:60-20:00", "25:00-26:00",
              "08:00-08:00", "00:00-00:00", "08:00~20:00", "０８:00-20:00", "08:00-20:00;", "always"],
)
def test_malformed_values_stop_start_up_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AGENT_HOURS", value)
    with pytest.raises(ValidationError) as err:
        CoreSettings()
    message = str(err.value)
    assert "AGENT_HOURS" in message and "HH:MM-HH:MM" in message


def test_callback_orders_follow_the_hours_in_force(fresh_db) -> None:
    from backend_core.gateway.embedded import EmbeddedGateway

    ctx = CoreContext(clock=Clock(fixed=at(15)), agent_hours=AgentHours.parse("00:00-24:00", source="AGENT_HOURS"))
    gateway = EmbeddedGateway(fresh_db.factory, ctx)
    order = gateway.create_work_order("callback", {"reason": "想咨询电价"}, "cb-always", contact_phone="13800138000")
    assert order.deadline == datetime(2026, 11, 21, 0, 0)
    facts = gateway.service_facts()
    assert facts.agent_hours.always_staffed and facts.agent_hours.source == "AGENT_HOURS"


def test_make_gateway_applies_agent_hours_from_settings(module_db) -> None:
    from backend_core.gateway import make_gateway

    gateway = make_gateway(CoreSettings(database_url=module_db.url, agent_hours="09:00-17:30"))
    hours = gateway.service_facts().agent_hours
    assert (hours.start, hours.end, hours.source) == ("09:00", "17:30", "AGENT_HOURS")
    assert not hours.agents_on_duty(at(17, 30))
