"""The checks of FORMAT.md: each returns None when it holds, else why not."""

from __future__ import annotations

from collections.abc import Callable

from evaluation.conversations.observe import (
    ANSWER_ACTIONS,
    MARKUP,
    OUT_OF_SCOPE_ACTION,
    TurnObservation,
)
from evaluation.conversations.spec import Expect

Failure = str | None


def _flat(text: str) -> str:
    return "".join(text.split())


def check_turn(expect: Expect, seen: TurnObservation) -> list[str]:
    """Every written check of one turn that does not hold, as a short reason."""
    failures: list[str] = []

    def need(ok: bool, why: str) -> None:
        if not ok:
            failures.append(why)

    if expect.asks is not None:
        need(seen.requested == expect.asks, f"asks {expect.asks}: bot waits for {seen.requested}")
    for name in expect.not_asks:
        need(seen.requested != name, f"not_asks {name}: bot asks it")
    if expect.task is not None:
        need(seen.working_on(expect.task), f"task {expect.task}: service_task={seen.slots.get('service_task')}, "
             f"pending={seen.slots.get('pending_action')}, loop={seen.active_loop}")
    if expect.shows is not None:
        need(any(seen.answered_with(a) for a in ANSWER_ACTIONS[expect.shows]), f"shows {expect.shows}: actions {seen.actions}")
    if expect.verified is not None:
        need(bool(seen.slots.get("verified_account")) == expect.verified, f"verified {expect.verified}")
    if expect.order is not None:
        types = [o.get("type") for o in seen.orders.values()]
        need(expect.order in types, f"order {expect.order}: new orders {types}")
    if expect.urgent:
        need(any(o.get("urgent") for o in seen.orders.values()), "urgent: no urgent order")
    if expect.no_order:
        need(not seen.orders, f"no_order: created {list(seen.orders)}")
    if expect.handoff is not None:
        need(seen.handed_over == expect.handoff, f"handoff {expect.handoff}")
    if expect.offers_human is not None:
        need(seen.offered_human == expect.offers_human, f"offers_human {expect.offers_human}")
    if expect.cites is not None:
        need(seen.cited == expect.cites, f"cites {expect.cites}")
    if expect.understood is not None:
        need((not seen.not_understood) == expect.understood, f"understood {expect.understood}: actions {seen.actions}")
    if expect.out_of_scope is not None:
        declined = OUT_OF_SCOPE_ACTION in seen.actions and not seen.cited
        need(declined == expect.out_of_scope, f"out_of_scope {expect.out_of_scope}")
    text = seen.flat_text
    for s in expect.says:
        need(_flat(s) in text, f"says {s!r}")
    if expect.says_any:
        need(any(_flat(s) in text for s in expect.says_any), f"says_any {expect.says_any}")
    for s in expect.not_says:
        need(_flat(s) not in text, f"not_says {s!r}")
    return failures


def global_failures(seen: TurnObservation, leaked: Callable[[str], list[str]]) -> list[str]:
    """The checks made on every turn: an answer, no markup, no unverified account data."""
    failures = []
    if not seen.text.strip() and not seen.handed_over:
        failures.append("no reply")
    markup = MARKUP.search(seen.text)
    if markup:
        failures.append(f"markup {markup.group()!r}")
    for secret in leaked(seen.text):
        failures.append(f"account data before verification: {secret!r}")
    return failures
