"""The jambonz contract the line is held to."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.channels.voice.contract import SCHEMAS, payload_errors, verb_errors

SHARED = Path(__file__).resolve().parents[5] / "shared" / "contracts" / "jambonz"  # ../shared next to the clone


def test_the_copy_equals_the_shared_contract() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/contracts is not present next to this clone")
    ours = {p.relative_to(SCHEMAS): p.read_bytes() for p in SCHEMAS.rglob("*") if p.is_file()}
    theirs = {p.relative_to(SHARED): p.read_bytes() for p in SHARED.rglob("*") if p.is_file()}
    assert ours == theirs


def test_the_schemas_refuse_what_jambonz_would_refuse() -> None:
    assert verb_errors([{"verb": "say", "text": "您好"}, {"verb": "hangup"}]) == []
    assert verb_errors([]) != []  # an application has at least one verb
    assert verb_errors([{"verb": "enqueue"}]) != []  # a queue needs its name
    assert verb_errors([{"verb": "gather", "input": ["telepathy"]}]) != []
    assert verb_errors([{"verb": "gather", "recognizer": {"language": "zh-CN"}}]) != []  # $ref into components/


def test_callbacks_are_checked_without_logging_their_values() -> None:
    assert payload_errors("gather", {"call_sid": "CA1", "reason": "dtmfDetected", "digits": "1"}) == []
    errors = payload_errors("call-status", {"call_sid": "CA1", "from": 13800138000})
    assert errors and not any("13800138000" in e for e in errors)
    assert payload_errors("enqueue", {"call_sid": "CA1"}) != []  # queue_result and the rest are required
