"""Evaluate the NLU model on the held-out split (nlu_data/test, never trained on).

    .venv-rasa/bin/python scripts/nlu_eval.py                  # train config.yml, evaluate
    .venv-rasa/bin/python scripts/nlu_eval.py --model models/powerdesk.tar.gz
    .venv-rasa/bin/python scripts/nlu_eval.py --compare bot/configs/baseline.yml config.yml

The first two write reports/nlu_eval.md and .json: intent accuracy, macro-F1, per-intent
F1 (worst first), per-entity precision/recall/F1 and the most confused intent pairs.
--compare trains every config on nlu_data/train and writes the comparison table to
reports/nlu_pipelines.md (between its table markers, so the notes around it stay).

Entities count as found only with the exact span and label, after the model's own
reconciliation: what the dialogue receives. Run from the 3.11 venv it re-executes
itself with .venv-rasa's Python, where Rasa lives.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

try:
    import rasa  # noqa: F401
except ImportError:  # the app venv (make eval): hand over to the Rasa venv
    os.execv(str(RASA_PYTHON), [str(RASA_PYTHON), __file__, *sys.argv[1:]])

# Timings must measure training, not a cache hit of an earlier run (unless --cache).
if "--cache" not in sys.argv:
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))

from rasa.core.agent import Agent  # noqa: E402
from rasa.model_training import train_nlu  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.utils.common import configure_logging_and_warnings  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402

from scripts.heldout import TrainingLines  # noqa: E402

FALLBACK_INTENT = "nlu_fallback"
HAZARD = "report_hazard"
# The entities the actions act on; the project's goal is F1 >= 0.97 for each.
KEY_ENTITIES = ["account_no", "phone", "phone_last4", "ticket_no", "period", "amount"]
GOAL = 0.97
TABLE_START, TABLE_END = "<!-- table:start -->", "<!-- table:end -->"


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}


def train(config: Path, data: Path, out_dir: Path) -> tuple[Path, float]:
    started = time.monotonic()
    model = train_nlu(str(config), str(data), str(out_dir), fixed_model_name=config.stem)
    if model is None:
        raise SystemExit(f"training with {config} failed")
    return Path(model), time.monotonic() - started


def predict(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    agent = Agent.load(str(model))

    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse_all())


def _top(parse: dict[str, Any]) -> dict[str, Any]:
    """The classifier's best intent, looking through the fallback."""
    for candidate in parse.get("intent_ranking") or [parse["intent"]]:
        if candidate["name"] != FALLBACK_INTENT:
            return candidate
    return parse["intent"]


def top_intent(parse: dict[str, Any]) -> str:
    return _top(parse)["name"]


def top_confidence(parse: dict[str, Any]) -> float:
    return float(_top(parse).get("confidence") or 0.0)


def load_test_split(tests: list[Path], training: TrainingLines) -> tuple[list[tuple[str, Any]], Counter, set[str]]:
    """(file name, message) for every labelled test message the training data does not
    cover (scripts/heldout.py), the count dropped per file, and the files that annotate
    no entity at all (intent-only sets: their unannotated values are no misses)."""
    files = [f for t in tests for f in (sorted(t.glob("*.yml")) if t.is_dir() else [t])]
    kept: list[tuple[str, Any]] = []
    dropped: Counter[str] = Counter()
    intent_only: set[str] = set()
    for path in files:
        messages = [m for m in load_data(str(path)).training_examples if m.get("intent")]
        if not any(m.get("entities") for m in messages):
            intent_only.add(path.name)
        for message in messages:
            if training.covers(message.get("text")):
                dropped[path.name] += 1
            else:
                kept.append((path.name, message))
    return kept, dropped, intent_only


def evaluate(model: Path, test_dir: list[Path], train_dir: Path) -> dict[str, Any]:
    """Scores on the test split, without the lines the training data covers (reported per
    file). Entities are scored on the files that annotate them; report_hazard recall and
    precision per file."""
    tagged, dropped, intent_only = load_test_split(test_dir, TrainingLines(train_dir))
    examples = [m for _, m in tagged]
    parses = predict(model, [m.get("text") for m in examples])
    per_file: dict[str, Counter] = defaultdict(Counter)

    intent_counts: dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    entity_counts: dict[str, Counter] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []
    correct_top = correct_final = fallbacks = 0
    for (source, message), parse in zip(tagged, parses, strict=True):
        gold, predicted, final = message.get("intent"), top_intent(parse), parse["intent"]["name"]
        per_file[source].update(examples=1, correct=predicted == gold)
        per_file[source].update(
            hazards=gold == HAZARD, hazards_found=gold == HAZARD == predicted, hazard_alarms=predicted == HAZARD
        )
        fallbacks += final == FALLBACK_INTENT
        correct_final += final == gold
        if predicted == gold:
            correct_top += 1
            intent_counts[gold]["tp"] += 1
        else:
            intent_counts[gold]["fn"] += 1
            intent_counts[predicted]["fp"] += 1
            confusions[(gold, predicted)] += 1

        gold_entities = {(e["start"], e["end"], e["entity"]) for e in message.get("entities") or []}
        found = {(e["start"], e["end"], e["entity"]) for e in parse.get("entities") or []}
        if source in intent_only:
            gold_entities = found = set()
        for _, _, label in gold_entities & found:
            entity_counts[label]["tp"] += 1
        for _, _, label in found - gold_entities:
            entity_counts[label]["fp"] += 1
        for _, _, label in gold_entities - found:
            entity_counts[label]["fn"] += 1
        if predicted != gold or gold_entities != found:
            text = message.get("text")
            errors.append(
                {
                    "text": text,
                    "intent": gold,
                    "predicted": predicted,
                    "confidence": round(top_confidence(parse), 3),
                    "missed": sorted(f"{text[s:e]}({label})" for s, e, label in gold_entities - found),
                    "spurious": sorted(f"{text[s:e]}({label})" for s, e, label in found - gold_entities),
                }
            )

    per_intent = {
        intent: prf(c["tp"], c["fp"], c["fn"])
        for intent, c in intent_counts.items() if c["tp"] + c["fn"]
    }
    per_entity = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(entity_counts.items())}
    totals: Counter[str] = Counter()
    for c in entity_counts.values():
        totals.update(c)
    n = len(examples)
    return {
        "model": str(model),
        "examples": n,
        "intent_accuracy": correct_top / n,
        "intent_accuracy_with_fallback": correct_final / n,
        "fallback_rate": fallbacks / n,
        "intent_macro_f1": sum(m["f1"] for m in per_intent.values()) / len(per_intent),
        "per_file": {
            name: {
                "examples": c["examples"],
                "intent_accuracy": c["correct"] / c["examples"],
                "dropped_as_in_training": dropped[name],
                "entities_scored": name not in intent_only,
                "hazard_recall": c["hazards_found"] / c["hazards"] if c["hazards"] else None,
                "hazard_precision": c["hazards_found"] / c["hazard_alarms"] if c["hazard_alarms"] else None,
            }
            for name, c in sorted(per_file.items())
        },
        "per_intent": dict(sorted(per_intent.items(), key=lambda kv: (kv[1]["f1"], kv[0]))),
        "entities_micro": prf(totals["tp"], totals["fp"], totals["fn"]),
        "per_entity": per_entity,
        "confused_pairs": [
            {"intent": g, "predicted": p, "count": k} for (g, p), k in confusions.most_common(15)
        ],
        "errors": errors,
    }


def _f(x: float) -> str:
    return f"{x:.3f}"


def render(result: dict[str, Any]) -> str:
    below = [
        f"{name} {_f(value)}"
        for name, value in [
            ("intent accuracy", result["intent_accuracy"]),
            *((f"{e} F1", result["per_entity"][e]["f1"]) for e in KEY_ENTITIES if e in result["per_entity"]),
        ]
        if value < GOAL
    ]
    lines = [
        "# NLU evaluation on the held-out split",
        "",
        (f"Model `{result['model']}`, {result['examples']} test messages (nlu_data/test), "
         f"written by `scripts/nlu_eval.py`."),
        "",
        (f"- intent accuracy: **{_f(result['intent_accuracy'])}** (classifier's top intent); "
         f"{_f(result['intent_accuracy_with_fallback'])} counting nlu_fallback as wrong "
         f"(fallback on {_f(result['fallback_rate'])} of messages)"),
        "- intent accuracy by test file:",
        *[
            f"  - {name}: {_f(m['intent_accuracy'])} on {m['examples']} messages"
            f" ({m['dropped_as_in_training']} dropped as in training)"
            + (f"; report_hazard recall {_f(m['hazard_recall'])}" if m.get("hazard_recall") is not None else "")
            + (f", precision {_f(m['hazard_precision'])}" if m.get("hazard_precision") is not None else "")
            + ("" if m["entities_scored"] else "; intent only")
            for name, m in result.get("per_file", {}).items()
        ],
        f"- intent macro-F1: **{_f(result['intent_macro_f1'])}**",
        f"- entities (exact span and label, micro): F1 **{_f(result['entities_micro']['f1'])}**",
        f"- goal (intent accuracy and F1 of {', '.join(KEY_ENTITIES)} >= {GOAL}): "
        + (f"not met: {'; '.join(below)}" if below else "met"),
    ]
    if "train_seconds" in result:
        lines.append(f"- NLU training time: {result['train_seconds']:.0f} s")
    lines += ["", "## Entities", "", "| entity | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, m in result["per_entity"].items():
        lines.append(f"| {label} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['f1'])} | {m['support']} |")
    lines += ["", "## Intents (worst first)", "", "| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for intent, m in result["per_intent"].items():
        lines.append(f"| {intent} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['f1'])} | {m['support']} |")
    lines += ["", "## Most confused intent pairs", "", "| intent | predicted as | count |", "|---|---|---|"]
    lines += [f"| {c['intent']} | {c['predicted']} | {c['count']} |" for c in result["confused_pairs"]]
    lines += ["", "## Errors", "", "| text | intent | predicted | missed entities | spurious entities |", "|---|---|---|---|---|"]
    for e in result["errors"]:
        predicted = e["predicted"] if e["predicted"] != e["intent"] else ""
        lines.append(
            f"| {e['text']} | {e['intent']} | {predicted} | {', '.join(e['missed'])} | {', '.join(e['spurious'])} |"
        )
    return "\n".join(lines) + "\n"


def comparison_table(rows: Iterable[tuple[str, dict[str, Any]]]) -> str:
    header = ["pipeline", "intent acc", "macro-F1", "entity F1", *KEY_ENTITIES, "address", "person_name", "train s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, r in rows:
        ents = r["per_entity"]
        cells = [
            f"`{name}`",
            _f(r["intent_accuracy"]),
            _f(r["intent_macro_f1"]),
            _f(r["entities_micro"]["f1"]),
            *(_f(ents[e]["f1"]) if e in ents else "-" for e in [*KEY_ENTITIES, "address", "person_name"]),
            f"{r['train_seconds']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_comparison(path: Path, table: str) -> None:
    block = f"{TABLE_START}\n{table}\n{TABLE_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# NLU pipeline comparison\n\n" + block + "\n"
    head, _, rest = text.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    path.write_text(head + block + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="evaluate this model instead of training one")
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--compare", type=Path, nargs="+", metavar="CONFIG")
    parser.add_argument("--train", type=Path, default=Path("nlu_data/train"))
    parser.add_argument("--test", type=Path, nargs="+", default=[Path("nlu_data/test")],
                        help="test files or folders (a blind set is evaluated once: name the files)")
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument("--name", default="nlu_eval", help="report file stem (reports/<name>.md and .json)")
    parser.add_argument(
        "--cache", action="store_true",
        help="reuse components Rasa trained before (fast comparisons; times then mean little)",
    )
    args = parser.parse_args()
    configure_logging_and_warnings(logging.WARNING)  # one parse log line per message otherwise
    configure_structlog(logging.WARNING)
    args.reports.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="nlu_eval_") as tmp:
        if args.compare:
            rows = []
            for config in args.compare:
                model, seconds = train(config, args.train, Path(tmp))
                result = evaluate(model, args.test, args.train) | {"model": str(config), "train_seconds": seconds}
                (args.reports / f"nlu_eval_{config.stem}.json").write_text(
                    json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
                )
                rows.append((str(config), result))
                print(comparison_table(rows), flush=True)
            write_comparison(args.reports / "nlu_pipelines.md", comparison_table(rows))
            return

        if args.model:
            result = evaluate(args.model, args.test, args.train)
        else:
            model, seconds = train(args.config, args.train, Path(tmp))
            result = evaluate(model, args.test, args.train) | {
                "model": f"{args.config}, trained on {args.train}",
                "train_seconds": seconds,
            }
    report = render(result)
    (args.reports / f"{args.name}.md").write_text(report, encoding="utf-8")
    (args.reports / f"{args.name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report.split("\n## Errors")[0])


if __name__ == "__main__":
    main()
