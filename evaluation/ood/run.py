"""Everyday requests from other domains, each sent as a new conversation: how often the
bot acts on one as a utility request.

    .venv/bin/python -m evaluation.ood.run dev      # evaluation/ood/dev.txt
    .venv/bin/python -m evaluation.ood.run blind    # evaluate once

Acting on it means what a customer would notice (issue 10): the bot asks for an account
or any other detail (a form is open), or it creates a work order. Answering from the
documents, declining, or asking to rephrase are not acting. Writes
reports/ood_<set>.md and .json with the share and every message acted on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

import httpx

from evaluation.conversations.observe import TurnObservation
from evaluation.system import attached_world, running_world
from scripts.running import ROOT

SETS_DIR = Path(__file__).resolve().parent


def outcome(seen: TurnObservation) -> str:
    """What the bot did with the message, in the words of the report."""
    if seen.tickets:
        return "created an order"
    if seen.active_loop:
        return "asked for a detail" if seen.requested else "opened a request"
    if seen.handed_over:
        return "handed over"
    if seen.cited:
        return "answered from the documents"
    if seen.not_understood or "action_out_of_scope" in seen.actions:
        return "declined or asked to rephrase"
    return "replied"


ACTED = ("created an order", "asked for a detail", "opened a request")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", help="a file evaluation/ood/<set>.txt")
    parser.add_argument("--attach", metavar="CORE_URL", help="use services already running on the default ports")
    args = parser.parse_args(argv)
    lines = [line.strip() for line in (SETS_DIR / f"{args.set}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.monotonic()
    results = []
    world_context = nullcontext(attached_world(args.attach)) if args.attach else running_world()
    with world_context as world, httpx.Client(timeout=120) as http:
        for text in lines:
            sender = f"ood-{uuid.uuid4().hex[:10]}"
            response = http.post(world.url("hub") + "/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text, "metadata": {"channel": "web"}})
            replies = response.json() if response.status_code == 200 else []
            tracker = http.get(world.url("rasa") + f"/conversations/web:{sender}/tracker").json()
            seen = TurnObservation(text, replies, tracker)
            intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
            results.append({"text": text, "intent": intent, "outcome": outcome(seen), "reply": seen.text[:120]})
    seconds = time.monotonic() - started
    counts = Counter(r["outcome"] for r in results)
    acted = [r for r in results if r["outcome"] in ACTED]
    share = len(acted) / len(results) if results else 0.0
    summary = {"set": args.set, "messages": len(results), "acted_on": len(acted), "acted_share": round(share, 4),
               "outcomes": dict(counts.most_common()), "seconds": round(seconds, 1)}
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"ood_{args.set}.json").write_text(json.dumps({**summary, "results": results}, ensure_ascii=False, indent=1),
                                                  encoding="utf-8")
    lines_md = [
        f"# Out-of-domain requests: set `{args.set}`",
        "",
        (f"{len(results)} everyday requests from other domains, each a new conversation through the hub, Rasa, "
         f"the action server and the core ({seconds:.0f} s). Acted on as a utility request (asked for an account or "
         f"another detail, opened a request, created an order): **{len(acted)} ({share:.1%})**."),
        "",
        "| outcome | messages |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in counts.most_common()],
        "",
        "## Acted on",
        "",
        *[f"- 「{r['text']}」 ({r['intent']}) → {r['outcome']}: {r['reply']}" for r in acted],
    ]
    (reports / f"ood_{args.set}.md").write_text("\n".join(lines_md) + "\n", encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
