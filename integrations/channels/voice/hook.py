"""The per-call state, carried in the query string of the next hook's URL.

The hub runs as several replicas and jambonz may send a call's next webhook to any of
them, so nothing about a call lives in process memory: what the caller is answering
(a free question, a number, a read-back to confirm), how many times we asked again,
and where the unread rest of a long answer starts travel with the gather's
``actionHook`` (``/ivr/jambonz/gather?step=confirm&kind=account&n=3300012345``) and come
back with jambonz's request. jambonz echoes the URL as we wrote it, but anyone can call
the route, so every value is parsed defensively: an unknown value means the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from integrations.channels.voice.numbers import KINDS, NumberKind

GATHER = "/ivr/jambonz/gather"
MAX_TRIES = 2  # asked again at most twice, then an agent (or goodbye, for silence)


class Step(StrEnum):
    TALK = "talk"  # a free question, a menu key, or a spoken choice
    NUMBER = "number"  # the bot asked for a number
    CONFIRM = "confirm"  # the number read back, waiting for 1 (right) or 2 (again)
    QUEUE = "queue"  # enqueue's action hook: the caller left the agents' queue
    WAIT = "wait"  # enqueue's wait hook: the caller is waiting in it
    DIAL = "dial"  # dial's action hook: the agent's line ended or never answered


# The jambonz callback each step's request carries (contract.CALLBACKS).
CALLBACK = {Step.QUEUE: "enqueue", Step.WAIT: "enqueue-wait", Step.DIAL: "dial"}


@dataclass(frozen=True)
class CallState:
    step: Step = Step.TALK
    tries: int = 0
    kind: NumberKind | None = None  # number and confirm steps
    number: str = ""  # confirm step: the digits read back
    # talk step after an answer: its messages are those stored after message ``after``
    # (its choices, its text), and the caller has heard that text up to character
    # ``more`` (0: all of it). None before the first answer.
    after: int | None = None
    more: int = 0

    @property
    def callback(self) -> str:
        return CALLBACK.get(self.step, "gather")

    def url(self) -> str:
        query: dict[str, str | int] = {"step": self.step.value}
        if self.tries:
            query["tries"] = self.tries
        if self.kind is not None:
            query["kind"] = self.kind.name
        if self.number:
            query["n"] = self.number
        if self.after is not None:
            query["after"] = self.after
        if self.more:
            query["more"] = self.more
        return f"{GATHER}?{urlencode(query)}"

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> CallState:
        try:
            step = Step(query.get("step", Step.TALK))
        except ValueError:
            step = Step.TALK
        kind = KINDS.get(query.get("kind", ""))
        number = query.get("n", "")
        if kind is None:
            step = Step.TALK if step in (Step.NUMBER, Step.CONFIRM) else step
        elif step == Step.CONFIRM and not (number.isascii() and number.isdigit() and len(number) in kind.lengths):
            step = Step.NUMBER
        after = _count(query.get("after")) if step == Step.TALK else None
        return cls(
            step=step,
            tries=min(_count(query.get("tries")) or 0, MAX_TRIES),
            kind=kind if step in (Step.NUMBER, Step.CONFIRM) else None,
            number=number if step == Step.CONFIRM else "",
            after=after,
            more=(_count(query.get("more")) or 0) if after is not None else 0,
        )


def _count(value: str | None) -> int | None:
    """A non-negative integer from the query; None when absent or garbled."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 15:
        return None
    return int(value)
