"""The per-call state carried in the hook URL."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from integrations.channels.voice.hook import MAX_TRIES, CallState, Step
from integrations.channels.voice.numbers import ACCOUNT


def parsed(url: str) -> CallState:
    return CallState.parse(dict(parse_qsl(urlsplit(url).query)))


@pytest.mark.parametrize("state", [
    CallState(),
    CallState(Step.NUMBER, tries=1, kind=ACCOUNT),
    CallState(Step.CONFIRM, kind=ACCOUNT, number="3300012345"),
    CallState(after=41, more=57),
    CallState(Step.QUEUE),
])
def test_the_state_survives_the_round_trip_through_jambonz(state: CallState) -> None:
    url = state.url()
    assert url.startswith("/ivr/jambonz/gather?step=") and parsed(url) == state


@pytest.mark.parametrize(("query", "expected"), [
    ("step=confirm&kind=account&n=12", CallState(Step.NUMBER, kind=ACCOUNT)),  # a number of the wrong length
    ("step=confirm&kind=passport&n=1234", CallState()),
    ("step=shutdown&tries=99", CallState(tries=MAX_TRIES)),
    ("step=talk&after=-1&more=5", CallState()),
    ("step=number&kind=account&after=3&more=9", CallState(Step.NUMBER, kind=ACCOUNT)),
])
def test_garbled_state_falls_back_to_what_is_safe(query: str, expected: CallState) -> None:
    assert parsed("/x?" + query) == expected


def test_each_step_names_the_callback_jambonz_sends() -> None:
    callbacks = [CallState(step).callback for step in Step]
    assert callbacks == ["gather", "gather", "gather", "enqueue", "enqueue-wait", "dial"]
