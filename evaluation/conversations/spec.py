"""Conversation test files (FORMAT.md), read into typed objects so that a typo in a
check's name or value is an error when the file is loaded, not a check that silently
never runs."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

CLASSES = (
    "multi_value", "question_in_form", "correction", "resume_task", "followup", "composed_answer",
    "computed_figure", "gibberish", "account_format", "long_message", "multi_question", "regression",
)
VALUE_NAMES = (
    "account_no", "phone_last4", "contact_phone", "callback_phone", "service_address", "applicant_name",
    "id_number", "property_proof", "capacity_kw", "change_reason", "preferred_date", "refund_bank_account",
    "parking_proof", "pm_consent", "invoice_period", "new_phone", "complaint_detail", "request_confirmed",
)
REQUESTS = (
    "query_bill", "query_balance", "query_arrears", "query_usage", "query_tier_status", "explain_high_bill",
    "query_payment_history", "payment_not_received", "ask_tou_advice", "bind_account", "apply_new_connection",
    "apply_capacity_change", "apply_transfer", "apply_meter_check", "apply_tou", "apply_close_account",
    "apply_ev_charger", "request_invoice", "update_contact", "report_outage", "query_restore_time",
    "query_planned_outage", "report_hazard", "subscribe_outage_notice", "query_ticket_status", "complain",
)
ANSWER_KINDS = (
    "bill", "balance", "arrears", "usage", "tier_status", "explain_bill", "payment_history", "payment_diagnosis",
    "tou_advice", "ticket_status", "outage_status", "planned_outages",
)
ORDER_TYPES = (
    "apply_new_connection", "apply_capacity_change", "apply_transfer", "apply_meter_check", "apply_tou",
    "apply_close_account", "apply_ev_charger", "request_invoice", "report_outage", "report_hazard", "complain",
    "callback",
)


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")
    return value


class Expect(BaseModel):
    """The checks of one turn (FORMAT.md, "Checks")."""

    model_config = ConfigDict(extra="forbid")

    asks: str | None = None
    not_asks: list[str] = Field(default_factory=list)
    task: str | None = None
    shows: str | None = None
    verified: bool | None = None
    order: str | None = None
    urgent: bool | None = None
    no_order: bool | None = None
    handoff: bool | None = None
    offers_human: bool | None = None
    cites: bool | None = None
    understood: bool | None = None
    out_of_scope: bool | None = None
    says: list[str] = Field(default_factory=list)
    says_any: list[str] = Field(default_factory=list)
    not_says: list[str] = Field(default_factory=list)

    @field_validator("not_asks", "says", "says_any", "not_says", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        if value is None:
            return []
        return [value] if isinstance(value, (str, int, float)) else value

    @field_validator("says", "says_any", "not_says", mode="after")
    @classmethod
    def _strings(cls, value: list) -> list[str]:
        return [str(v) for v in value]

    @field_validator("asks")
    @classmethod
    def _asks(cls, value: str | None) -> str | None:
        return value if value is None else _one_of(value, VALUE_NAMES, "value name")

    @field_validator("not_asks")
    @classmethod
    def _not_asks(cls, value: list[str]) -> list[str]:
        return [_one_of(v, VALUE_NAMES, "value name") for v in value]

    @field_validator("task")
    @classmethod
    def _task(cls, value: str | None) -> str | None:
        return value if value is None else _one_of(value, REQUESTS, "request")

    @field_validator("shows")
    @classmethod
    def _shows(cls, value: str | None) -> str | None:
        return value if value is None else _one_of(value, ANSWER_KINDS, "answer kind")

    @field_validator("order")
    @classmethod
    def _order(cls, value: str | None) -> str | None:
        return value if value is None else _one_of(value, ORDER_TYPES, "work-order type")


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str
    expect: Expect = Field(default_factory=Expect)

    @field_validator("user", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return str(value)

    @field_validator("expect", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return {} if value is None else value


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = ""
    channel: Literal["web", "wechat", "voice"] = "web"
    turns: list[Turn]
    cls: str = Field(alias="class")

    @field_validator("cls")
    @classmethod
    def _class(cls, value: str) -> str:
        return _one_of(value, CLASSES, "class")


def load_set(directory: Path) -> list[Conversation]:
    """Every conversation of every YAML file in ``directory``, in file and list order."""
    conversations: list[Conversation] = []
    for path in sorted(directory.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            try:
                conversations.append(Conversation.model_validate(raw))
            except ValueError as error:
                raise ValueError(f"{path.name}, conversation {raw.get('id')!r}: {error}") from None
    ids = [c.id for c in conversations]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"{directory}: duplicated conversation ids {duplicated}")
    return conversations
