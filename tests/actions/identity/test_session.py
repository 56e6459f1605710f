"""A new session forgets who the customer proved to be, except a bound WeChat follower."""

from __future__ import annotations

import pytest

from actions.identity.session import ActionSessionStart
from tests.actions.support import ZHANG_SAN, Conversation


def start(metadata: object) -> list[dict]:
    conversation = Conversation().set(session_started_metadata=metadata)
    return conversation.run(ActionSessionStart()).events


def test_a_bound_wechat_follower_starts_verified() -> None:
    events = start({"channel": "wechat", "bound_account": ZHANG_SAN})
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert events[1]["name"] == "verified_account" and events[1]["value"] == ZHANG_SAN


@pytest.mark.parametrize("metadata", [
    None,
    {"channel": "web"},
    {"channel": "web", "bound_account": ZHANG_SAN},  # only WeChat bindings count
    {"channel": "wechat", "bound_account": "3300012345; DROP TABLE"},
    {"channel": "wechat"},
])
def test_everyone_else_starts_unverified(metadata: object) -> None:
    events = start(metadata)
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_after_a_restart_the_restarting_messages_metadata_counts() -> None:
    conversation = Conversation().user("/restart", "restart")
    conversation.events[-1]["parse_data"]["metadata"] = {"channel": "wechat", "bound_account": ZHANG_SAN}
    events = conversation.run(ActionSessionStart()).events
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
