"""The core domain against the intent catalogue, and the promises its texts must keep.

Runs in either environment: it reads YAML only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CORE_DOMAIN = yaml.safe_load((REPO_ROOT / "bot" / "domain" / "core.yml").read_text(encoding="utf-8"))
CATALOGUE = REPO_ROOT.parent / "shared" / "spec" / "intents.yml"
SPEAKABLE = re.compile(r"https?://|[*#`_\[\]]|[\U0001F000-\U0001FAFF\u2600-\u27BF]")


@pytest.fixture(scope="module")
def catalogue() -> dict:
    if not CATALOGUE.is_file():
        pytest.skip("../shared/spec/intents.yml is not present next to this clone")
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def test_intents_and_entities_are_exactly_the_catalogue(catalogue: dict) -> None:
    assert sorted(CORE_DOMAIN["intents"]) == sorted(catalogue["intents"])
    assert sorted(CORE_DOMAIN["entities"]) == sorted(catalogue["entities"])


def test_there_are_at_least_25_core_test_stories() -> None:
    stories = [
        story
        for path in sorted((REPO_ROOT / "bot" / "tests").glob("test_core_*.yml"))
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
    ]
    assert len(stories) >= 25
    assert len({story["story"] for story in stories}) == len(stories)


@pytest.mark.parametrize("name", sorted(CORE_DOMAIN["responses"]))
def test_every_response_can_be_spoken_on_the_phone_line(name: str) -> None:
    """Responses go to every channel unchanged: no buttons, markdown, links or emoji."""
    for variant in CORE_DOMAIN["responses"][name]:
        assert set(variant) == {"text"}, name
        assert not SPEAKABLE.search(variant["text"]), name


def test_the_identity_slots_of_the_dialogue_contract() -> None:
    slots = CORE_DOMAIN["slots"]
    assert slots["pending_action"]["type"] == "text"
    assert slots["identity_failures"]["type"] == "float"
    assert [m["type"] for m in slots["verified_account"]["mappings"]] == ["custom"]  # set only by the check
    assert CORE_DOMAIN["forms"]["identity_form"]["required_slots"] == ["account_no", "phone_last4"]
