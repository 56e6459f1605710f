"""The bot's request for a human agent, as a typed model, and what each reason means.

The reasons are the hand-over triggers of service_rules.yml (handoff.triggers), one code
each; the hub accepts no other. Priority orders the queue: a hazard before a complaint
before a locked-out customer before everyone else (0 is the most urgent).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError


class Reason(StrEnum):
    REQUESTED = "requested"  # customer asks for a human
    FALLBACK = "fallback"  # two failed understandings in a row (the bot's or the hub's count)
    COMPLAINT = "complaint"
    HAZARD = "hazard"  # hazard report
    IDENTITY_LOCKOUT = "identity_lockout"
    NO_ANSWER = "no_answer"  # question the bot cannot answer


LABELS: dict[Reason, str] = {
    Reason.REQUESTED: "客户要求转人工",
    Reason.FALLBACK: "机器人多次未能理解",
    Reason.COMPLAINT: "投诉",
    Reason.HAZARD: "用电安全隐患",
    Reason.IDENTITY_LOCKOUT: "身份验证多次失败",
    Reason.NO_ANSWER: "机器人无法回答",
}

PRIORITY: dict[Reason, int] = {
    Reason.HAZARD: 0,
    Reason.COMPLAINT: 1,
    Reason.IDENTITY_LOCKOUT: 2,
    Reason.REQUESTED: 3,
    Reason.FALLBACK: 3,
    Reason.NO_ANSWER: 3,
}


class HandoffRequest(BaseModel):
    """``{"handoff": {...}}`` in a bot reply's ``custom`` (actions/handoff/offers.py)."""

    reason: Reason
    intent: str | None = Field(None, max_length=64)
    slots: dict[str, str] = Field(default_factory=dict)

    @property
    def priority(self) -> int:
        return PRIORITY[self.reason]


def handoff_request(reply: dict[str, Any]) -> HandoffRequest | None:
    """The hand-over request a bot reply carries, or None (also for one the hub refuses)."""
    custom = reply.get("custom")
    if not isinstance(custom, dict) or not isinstance(custom.get("handoff"), dict):
        return None
    try:
        return HandoffRequest.model_validate(custom["handoff"])
    except ValidationError:
        return None


def reason_label(reason: str | None) -> str:
    if reason is None:
        return ""
    try:
        return LABELS[Reason(reason)]
    except ValueError:
        return reason or ""
