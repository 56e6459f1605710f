"""Bot benchmark: Rasa training time, /model/parse latency, full-turn latency.

A full turn goes customer → hub → Rasa → action server → billing core (database) → back,
through the REST channel, exactly as the web widget sends it. Goal: full turn p50 at most
twice the parse p50 (what the bot adds beyond understanding must stay small).

usage: python benchmarks/bot_bench.py [--turns 200] [--skip-train]
Writes reports/bot_bench.json and reports/bot_bench.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from scripts.running import ROOT, start_system

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [str(RASA), "train", "--config", "config.yml", "--domain", "bot/domain", "--data", "nlu_data/train",
             "bot/data", "--out", out, "--force", "--quiet"],
            cwd=ROOT, check=True, capture_output=True,
        )
        return time.perf_counter() - start


def test_sentences(limit: int) -> list[str]:
    """Held-out customer sentences, entity markup removed."""
    import re

    sentences = []
    for path in sorted((ROOT / "nlu_data" / "test").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip().removeprefix("- "))
                if text:
                    sentences.append(text)
    return sentences[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--skip-train", action="store_true")
    args = parser.parse_args()

    figures: dict[str, float | int] = {}
    if not args.skip_train:
        figures["train_s"] = round(time_training(), 1)
        print(f"rasa train: {figures['train_s']} s")

    with tempfile.TemporaryDirectory() as tmp:
        system = start_system(Path(tmp) / "hub.db")
        try:
            with httpx.Client(timeout=60) as client:
                parse_ms = []
                for text in test_sentences(args.turns):
                    start = time.perf_counter()
                    client.post(system.url("rasa") + "/model/parse", json={"text": text}).raise_for_status()
                    parse_ms.append((time.perf_counter() - start) * 1000)

                def turn(service: str, sender: str, text: str) -> float:
                    start = time.perf_counter()
                    response = client.post(
                        system.url(service) + "/webhooks/rest/webhook",
                        json={"sender": sender, "message": text, "metadata": {"channel": "web"}},
                    )
                    response.raise_for_status()
                    return (time.perf_counter() - start) * 1000

                def balance_turns(service: str) -> list[float]:
                    """Verify 李四 (prepaid), then ask for the balance ten times per conversation;
                    each of those turns runs an action that reads the database through the core."""
                    timings: list[float] = []
                    for i in range(args.turns // 10):
                        sender = f"bench-{service}-{i}-{time.time_ns()}"
                        for text in ("查余额", "3300012346", "9001"):
                            turn(service, sender, text)
                        timings.extend(turn(service, sender, "我电费还剩多少") for _ in range(10))
                    return timings

                turn_ms = balance_turns("hub")
                # the same turns sent to Rasa's own REST channel: what the hub adds is the difference
                rasa_turn_ms = balance_turns("rasa")
        finally:
            system.stop()

    figures.update(
        parse_p50_ms=round(statistics.median(parse_ms), 1),
        parse_p95_ms=round(percentile(parse_ms, 0.95), 1),
        turn_p50_ms=round(statistics.median(turn_ms), 1),
        turn_p95_ms=round(percentile(turn_ms, 0.95), 1),
        rasa_only_turn_p50_ms=round(statistics.median(rasa_turn_ms), 1),
        parses=len(parse_ms),
        turns=len(turn_ms),
    )
    figures["turn_to_parse_p50_ratio"] = round(figures["turn_p50_ms"] / figures["parse_p50_ms"], 2)
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "bot_bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    rows = "\n".join(f"| {k} | {v} |" for k, v in figures.items())
    (reports / "bot_bench.md").write_text(f"# Bot benchmark\n\n| figure | value |\n|---|---|\n{rows}\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
