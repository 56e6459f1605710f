"""Outages and hazards against the seeded core.

王五's feeder (城南10kV花园线) has the demo's planned outage on Tuesday 11-24,
08:00-17:00; the other demo customers have none. A meter cut off for a negative
prepaid balance or for arrears is a state the demo data never reaches, so those two
diagnoses come from the real core with only the meter's state changed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar

import pytest

from actions.kernel.gateway import use_gateway
from actions.outages.actions import (
    ActionCreateHazardOrder,
    ActionCreateRepairOrder,
    ActionDiagnoseOutage,
    ActionPlannedOutages,
    ActionRestoreTime,
    ActionSubscribeOutage,
)
from backend_core.core.clock import Clock
from tests.actions.service_support import said, whole_domain  # noqa: F401
from tests.actions.support import LI_SI, QIAN_QI, WANG_WU, ZHANG_SAN, Conversation, off_hours, verified

TICKET = re.compile(r"GD\d{12}")


def ticket_in(text: str) -> str:
    match = TICKET.search(text)
    assert match is not None, text
    return match.group()
DURING_WANG_WU_OUTAGE = datetime(2026, 11, 24, 10, 0)


class MeterCutOff:
    """The seeded core, except that every meter reports being cut off for ``cause``."""

    STATES: ClassVar[dict[str, str]] = {
        "prepaid_cutoff": "disconnected_negative_balance",
        "arrears_cutoff": "disconnected_arrears",
    }

    def __init__(self, core: Any, cause: str) -> None:
        self._core, self._cause = core, cause

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)

    def diagnose_outage(self, account_no: str) -> Any:
        real = self._core.diagnose_outage(account_no)
        return real.model_copy(update={"cause": self._cause, "meter_state": self.STATES[self._cause]})


def outage_report(conversation: Conversation) -> Conversation:
    return said(conversation, "家里突然没电了", "report_outage").set(service_task="report_outage")


# --- why there is no power ------------------------------------------------------------
def test_planned_outage_on_the_feeder_is_the_answer(core, core_clock: Clock) -> None:
    core_clock._fixed = DURING_WANG_WU_OUTAGE
    result = outage_report(verified(Conversation(), WANG_WU)).run(ActionDiagnoseOutage())
    for fact in ("幸福小区", "计划停电", "线路检修", "11月24日 17:00恢复供电", "很抱歉"):
        assert fact in result.text, fact
    assert result.followup is None and result.slot("service_task") is None


def test_no_known_cause_leads_to_a_repair_order_with_the_urban_commitment(core) -> None:
    conversation = outage_report(verified(Conversation(), ZHANG_SAN))
    diagnosis = conversation.run(ActionDiagnoseOutage())
    assert "总开关" in diagnosis.text and "漏电保护器" in diagnosis.text
    assert diagnosis.followup == "repair_form" and diagnosis.slot("service_task") == "<unset>"
    order = conversation.set(contact_phone="13800138000").run(ActionCreateRepairOrder())
    assert TICKET.search(order.text) and "45分钟内" in order.text and "138****8000" in order.text
    assert core.get_work_order(ticket_in(order.text)).type == "report_outage"


def test_an_address_in_the_countryside_gets_the_rural_commitment(core) -> None:
    conversation = outage_report(Conversation()).set(service_address="示例县青山镇石桥村4组17号")
    diagnosis = conversation.run(ActionDiagnoseOutage())
    assert diagnosis.followup == "repair_form" and "预付费" in diagnosis.text
    order = conversation.set(contact_phone="13500135004").run(ActionCreateRepairOrder())
    assert "90分钟内" in order.text


def test_prepaid_meter_cut_off_is_told_how_to_get_power_back(core) -> None:
    use_gateway(MeterCutOff(core, "prepaid_cutoff"))
    result = outage_report(verified(Conversation(), LI_SI)).run(ActionDiagnoseOutage())
    assert "余额8.50元" in result.text and "1小时内" in result.text and "充值" in result.text
    assert result.followup is None


def test_arrears_cut_off_is_told_the_amount_and_24_hours(core) -> None:
    use_gateway(MeterCutOff(core, "arrears_cutoff"))
    result = outage_report(verified(Conversation(), QIAN_QI)).run(ActionDiagnoseOutage())
    assert "欠费263.35元" in result.text and "24小时内" in result.text
    assert result.followup is None


# --- when power returns, what is planned -------------------------------------------------
def test_restore_time_by_address(core, core_clock: Clock) -> None:
    asked = said(Conversation(), "幸福小区什么时候来电", "query_restore_time").set(service_address="幸福小区")
    nothing_known = asked.run(ActionRestoreTime())  # no power and no known outage: find out why
    assert nothing_known.followup == "action_diagnose_outage" and nothing_known.slot("service_task") == "report_outage"
    core_clock._fixed = DURING_WANG_WU_OUTAGE
    assert "预计11月24日 17:00恢复供电" in asked.run(ActionRestoreTime()).text


def test_planned_outages_for_the_account_and_none_elsewhere(core) -> None:
    wang = verified(Conversation(), WANG_WU).run(ActionPlannedOutages())
    assert "11月24日 8:00至11月24日 17:00" in wang.text and "线路检修" in wang.text
    assert "10kV" not in wang.text and "台区" not in wang.text  # plain words, not grid names
    zhang = verified(Conversation(), ZHANG_SAN).run(ActionPlannedOutages())
    assert "没有查到" in zhang.text and "至少提前7天" in zhang.text


# --- hazards ----------------------------------------------------------------------------
def hazard(conversation: Conversation, address: str = "城东区平阳路30号") -> Conversation:
    said(conversation, "平阳路30号门口电线掉地上了还在冒火花", "report_hazard", address=address)
    return conversation.set(service_task="report_hazard")


def test_hazard_is_an_urgent_order_with_safety_advice_and_a_human_offered(core) -> None:
    result = hazard(Conversation()).run(ActionCreateHazardOrder())
    ticket = ticket_in(result.text)
    assert result.text.startswith("请先远离现场") and "120" in result.text and "119" in result.text
    assert "转接人工客服" in result.text
    assert result.slot("handoff_offer") == "human" and result.slot("handoff_reason") == "hazard"
    order = core.get_work_order(ticket)
    assert order.urgent and order.type == "report_hazard" and "冒火花" in order.fields["description"]


def test_hazard_at_night_offers_a_call_back(core, monkeypatch: pytest.MonkeyPatch) -> None:
    off_hours(monkeypatch)
    result = hazard(Conversation(), "城北区建设路农贸市场").run(ActionCreateHazardOrder())
    assert TICKET.search(result.text) and result.slot("handoff_offer") == "callback"


def test_hazard_on_the_phone_line_has_no_buttons(core) -> None:
    result = hazard(Conversation(channel="voice"), "城西区解放路88号").run(ActionCreateHazardOrder())
    assert result.buttons == [] and "您可以说" in result.text


# --- outage notices -------------------------------------------------------------------
def test_wechat_followers_are_told_on_wechat_others_by_sms(core) -> None:
    wechat = said(verified(Conversation(channel="wechat"), WANG_WU), "停电能提前通知我吗", "subscribe_outage_notice")
    assert "微信消息" in wechat.run(ActionSubscribeOutage()).text
    web = said(verified(Conversation(), WANG_WU), "停电能提前通知我吗", "subscribe_outage_notice")
    result = web.set(contact_phone="13700137002").run(ActionSubscribeOutage())
    assert "短信（137****7002）" in result.text and "3300****47" in result.text
