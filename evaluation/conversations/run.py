"""Play a set of test conversations through the running system and report per class.

    .venv/bin/python -m evaluation.conversations.run dev      # evaluation/conversations/dev/
    .venv/bin/python -m evaluation.conversations.run blind    # evaluate once, then it is no longer blind

Writes reports/conversations_<set>.md and .json: success per class and overall, the
checks that failed most, and every failed conversation with its first failing turn.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from backend_core.core.clock import Clock
from backend_core.db import make_engine, make_session_factory
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import NotFound
from backend_core.services.context import CoreContext
from evaluation.conversations.checks import check_turn, global_failures
from evaluation.conversations.observe import TurnObservation
from evaluation.conversations.secrets import account_secrets, restore_demo_phones
from evaluation.conversations.spec import CLASSES, Conversation, load_set
from evaluation.system import WORLD_DAY, World, attached_world, running_world
from scripts.running import ROOT

SETS_DIR = Path(__file__).resolve().parent
_MONEY = re.compile(r"\d+\.\d{2}")


@dataclass
class TurnResult:
    user: str
    reply: str
    failures: list[str]


@dataclass
class ConversationResult:
    id: str
    cls: str
    title: str
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not t.failures for t in self.turns)


class Player:
    """Plays conversations against one running world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.http = httpx.Client(timeout=120)
        self.orders = EmbeddedGateway(
            make_session_factory(make_engine(world.core_url)),
            CoreContext(clock=Clock(fixed=datetime.fromisoformat(f"{WORLD_DAY}T10:00:00"))),
        )
        self.secrets = account_secrets(world.core_url, WORLD_DAY)

    def play(self, conversation: Conversation) -> ConversationResult:
        restore_demo_phones(self.world.core_url)
        sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"
        result = ConversationResult(conversation.id, conversation.cls, conversation.title)
        said: list[str] = []
        verified: set[str] = set()
        tickets: set[str] = set()
        for turn in conversation.turns:
            said.append(turn.user)
            response = self.http.post(
                self.world.url("hub") + "/webhooks/rest/webhook",
                json={"sender": sender, "message": turn.user, "metadata": {"channel": conversation.channel}},
            )
            replies = response.json() if response.status_code == 200 else [{"text": f"<HTTP {response.status_code}>"}]
            tracker = self.http.get(  # the REST channel's conversations are web ones, whatever the wording
                self.world.url("rasa") + f"/conversations/web:{sender}/tracker"
            ).json()
            seen = TurnObservation(turn.user, replies, tracker)
            for ticket in seen.tickets - tickets:
                tickets.add(ticket)
                try:
                    order = self.orders.get_work_order(ticket)
                    seen.orders[ticket] = {"type": order.type, "urgent": order.urgent}
                except NotFound:
                    seen.orders[ticket] = {"type": None, "urgent": False}
            account = seen.slots.get("verified_account")
            if account:
                verified.add(account)
            failures = check_turn(turn.expect, seen)
            failures += global_failures(
                seen, partial(self._leaked, verified=verified, said=said, read_account=seen.read_account_data)
            )
            result.turns.append(TurnResult(turn.user, seen.text, failures))
        return result

    def _leaked(self, text: str, verified: set[str], said: list[str], read_account: bool) -> list[str]:
        """Secrets of accounts not verified in this conversation. Names, phones and
        addresses anywhere; money figures only where an action read an account's figures
        (a computed example, 200度 = 107.60元, may equal someone's bill by chance)."""
        flat = "".join(text.split())
        own = "".join("".join(s.split()) for s in said)
        # A figure the customer's own verified accounts also have (two bills of 123.74) is theirs.
        allowed = set().union(*(self.secrets.get(a, set()) for a in verified))
        return sorted(
            secret
            for account, secrets in self.secrets.items()
            if account not in verified
            for secret in secrets - allowed
            if secret in flat and secret not in own and (read_account or not _MONEY.fullmatch(secret))
        )


def summarise(results: list[ConversationResult]) -> dict[str, Any]:
    by_class: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_class[r.cls].append(r.ok)
    checks = Counter(f.split(":")[0].split(" ")[0] for r in results for t in r.turns for f in t.failures)
    leaks = sum(1 for r in results for t in r.turns for f in t.failures if f.startswith("account data"))
    return {
        "conversations": len(results),
        "succeeded": sum(r.ok for r in results),
        "success_rate": round(sum(r.ok for r in results) / len(results), 3) if results else 0.0,
        "turns": sum(len(r.turns) for r in results),
        "leaks_before_verification": leaks,
        "by_class": {c: {"n": len(v), "ok": sum(v), "rate": round(sum(v) / len(v), 3)}
                     for c in CLASSES if (v := by_class.get(c))},
        "failed_checks": dict(checks.most_common()),
    }


def write_report(name: str, results: list[ConversationResult], summary: dict[str, Any], seconds: float) -> Path:
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    payload = {"set": name, "day": WORLD_DAY, "seconds": round(seconds, 1), **summary,
               "results": [asdict(r) | {"ok": r.ok} for r in results]}
    (reports / f"conversations_{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [
        f"# Conversations: set `{name}`",
        "",
        (f"{summary['succeeded']} of {summary['conversations']} conversations succeeded "
         f"(**{summary['success_rate']:.1%}**), {summary['turns']} customer turns, played through the hub, "
         f"Rasa, the action server and the core in {seconds:.0f} s. Account data shown before verification: "
         f"{summary['leaks_before_verification']} times."),
        "",
        "| class | conversations | succeeded | rate |",
        "|---|---|---|---|",
    ]
    lines += [f"| {c} | {v['n']} | {v['ok']} | {v['rate']:.1%} |" for c, v in summary["by_class"].items()]
    lines += ["", "Failed checks: " + ", ".join(f"{k} {v}" for k, v in summary["failed_checks"].items()), "",
              "## Failed conversations", ""]
    for r in results:
        if r.ok:
            continue
        first = next(i for i, t in enumerate(r.turns) if t.failures)
        turn = r.turns[first]
        reply = turn.reply.replace("\n", " / ")[:160]
        lines.append(f"- **{r.id}** ({r.cls}) turn {first + 1} 「{turn.user[:60]}」 → 「{reply}」: {'; '.join(turn.failures)}")
    path = reports / f"conversations_{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", help="a folder under evaluation/conversations/ (dev, blind, regression…)")
    parser.add_argument("--only", nargs="*", help="conversation ids to play (no report is written)")
    parser.add_argument("--attach", metavar="CORE_URL",
                        help="play against services already running on the default ports, whose core uses this database")
    args = parser.parse_args(argv)
    conversations = load_set(SETS_DIR / args.set)
    if args.only:
        conversations = [c for c in conversations if c.id in set(args.only)]
    started = time.monotonic()
    with (nullcontext(attached_world(args.attach)) if args.attach else running_world()) as world:
        player = Player(world)
        results = [player.play(c) for c in conversations]
    seconds = time.monotonic() - started
    summary = summarise(results)
    if args.only:
        for r in results:
            for i, t in enumerate(r.turns, 1):
                print(f"{r.id} T{i} 「{t.user}」\n   → {t.reply}\n   {'OK' if not t.failures else t.failures}")
        return 0
    path = write_report(args.set, results, summary, seconds)
    print(json.dumps(dict(summary), ensure_ascii=False, indent=1))
    print(f"report: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
