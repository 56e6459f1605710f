"""The hub's copy of the intent catalogue (labels in the console) is the spec's, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.conversations.summary import INTENTS_FILE

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "intents.yml"


def test_the_copy_equals_the_spec() -> None:
    if not SPEC.is_file():
        pytest.skip("../shared/spec is not present next to this clone")
    assert INTENTS_FILE.read_bytes() == SPEC.read_bytes()
