"""How well knowledge_base.compose picks what answers a question, and how fast it is.

usage: PYTHONPATH=. .venv/bin/python benchmarks/compose_eval.py [--quick]
Writes reports/compose_eval.md and reports/compose_eval.json (--quick: the shipped
scoring on the dev split, printed, nothing written).

Judgements (benchmarks/compose_judgements.jsonl): for each question, the sentences,
lists or FAQ questions of its section that answer it (`answered_by`), judged by reading
the section's parts in document order, never a composed answer. Two splits:
- dev: the 208 answerable questions of knowledge_base/questions/eval_{a,b,c}.jsonl,
  used while composing was developed (its misses were read and its constants tuned);
- test: the 160 questions of calib_hard.jsonl, judged the same way before any answer
  composed for them was seen, and run once when composing was finished.
A composed answer *answers* when it says (part of) one of the judged parts.

Measured, for the section each question was written for (compose alone) and for the
searcher's first result (the bot's path: search, then compose):
- best part: the highest-scored part is one that answers (ranking alone);
- answered: share of questions whose answer says one of the judged parts;
- on topic: share of the parts said that were judged to answer (the rest is padding);
- length: characters of the answer.
Variants: the lexical score as shipped, without the figure bonus, with the encoder's
cosine (question vs. part, `encoder.embed` on the searcher's model, centred on the
section's mean) added at several weights, and the encoder alone. Speed: compose over
every section of the index with its heading and generic questions, first call per
section (parse included) and warm calls.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from knowledge_base import compose as kb_compose
from knowledge_base import encoder as kb_encoder
from knowledge_base.core.config import shown_path
from knowledge_base.search import Searcher, SearchResult, get_searcher

Block = kb_compose._Block
Scorer = Callable[[kb_compose.Query, Block], float]
T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
JUDGEMENTS = ROOT / "benchmarks" / "compose_judgements.jsonl"
GENERIC = ["怎么办理", "需要多长时间", "要多少钱", "有什么规定", "这个怎么算"]
ENCODER_WEIGHTS = [0.2, 0.5, 1.0]


def _norm(text: str) -> str:
    return re.sub(r"\W", "", text)


def _evidence(block: Block) -> list[str]:
    """Strings whose presence in an answer shows the block was said."""
    return [_norm(p.text)[:12] for p in block.pieces if _norm(p.text)]


def _block_of(blocks: tuple[Block, ...], text: str) -> Block:
    key = _norm(text)[:16]
    for block in blocks:
        names = [block.question.text] if block.question is not None else [p.text for p in block.pieces]  # an FAQ
        if any(_norm(n).startswith(key) for n in names):
            return block
    raise LookupError(f"judged part not found: {text}")


def _result_for(searcher: Searcher, doc_id: str, section: str) -> SearchResult:
    chunk = searcher.index.chunks[searcher.index.section_chunks[(doc_id, section)][0]]
    return SearchResult(doc_id=doc_id, title=chunk.title, section=section, text=chunk.text, score=1.0)


def _judge(answer: str, blocks: tuple[Block, ...], gold: list[Block]) -> tuple[bool, int, int]:
    """(answers, parts said, parts said that answer)."""
    said_text = _norm(answer)
    said = [b for b in blocks if any(e in said_text for e in _evidence(b))]
    good = [b for b in said if b in gold]
    return bool(good), len(said), len(good)


class EncoderScore:
    """compose.score plus `weight` times the encoder's cosine of question and part, centred
    on the section's mean cosine so that KEEP_RATIO keeps its meaning (or the cosine alone)."""

    def __init__(self, searcher: Searcher, weight: float, alone: bool = False) -> None:
        self.searcher, self.weight, self.alone = searcher, weight, alone
        self.lexical = kb_compose.score
        self.cache: dict[str, np.ndarray] = {}
        self.question: np.ndarray | None = None
        self.centre = 0.0

    def vector(self, text: str) -> np.ndarray:
        if text not in self.cache:
            self.cache[text] = kb_encoder.embed(self.searcher.model, [text])[0]
        return self.cache[text]

    @staticmethod
    def text(block: Block) -> str:
        return block.question.text if block.question is not None else block.lead + "".join(p.text for p in block.pieces)

    def prepare(self, question: str, blocks: tuple[Block, ...]) -> None:
        self.question = kb_encoder.embed(self.searcher.model, [question])[0]
        self.centre = 0.0 if self.alone else float(np.mean([self.vector(self.text(b)) @ self.question for b in blocks]))

    def __call__(self, query: kb_compose.Query, block: Block) -> float:
        cosine = float(self.vector(self.text(block)) @ self.question) - self.centre
        return cosine if self.alone else self.lexical(query, block) + self.weight * cosine


def evaluate(searcher: Searcher, judged: list[dict[str, Any]], *, variant: EncoderScore | None = None,
             path: str = "section") -> dict[str, Any]:
    """Answered / on-topic / length over the judged questions for one scoring variant."""
    answered, said, good, lengths, missed = 0, 0, 0, [], []
    counted = top1 = stale = 0
    for item in judged:
        if path == "search":
            results = searcher.search(item["question"], k=1).results
            if not results or (results[0].doc_id, results[0].section) != (item["doc_id"], item["section"]):
                continue  # another section: its own judgements are unknown
            result = results[0]
        elif (item["doc_id"], item["section"]) in searcher.index.section_chunks:
            result = _result_for(searcher, item["doc_id"], item["section"])
        else:
            stale += 1
            continue
        blocks = kb_compose.parse_section(kb_compose.section_text(result, searcher))
        try:
            gold = [_block_of(blocks, text) for text in item["answered_by"]]
        except LookupError:  # the documents changed since the judgement: not judged any more
            stale += 1
            continue
        if variant is not None:
            variant.prepare(item["question"], blocks)
        query = kb_compose.Query.of(item["question"], searcher.index.lexical.idf, f"{result.title} {result.section}")
        scores = [kb_compose.score(query, block) for block in blocks]
        top1 += blocks[int(np.argmax(scores))] in gold
        answer = kb_compose.compose(item["question"], result, searcher).text
        ok, n_said, n_good = _judge(answer, blocks, gold)
        counted += 1
        answered += ok
        said += n_said
        good += n_good
        lengths.append(len(answer))
        if not ok:
            missed.append({"id": item["id"], "question": item["question"], "answer": answer})
    return {
        "questions": counted,
        "stale": stale,
        "answered": round(answered / counted, 3),
        "best_part_answers": round(top1 / counted, 3),
        "on_topic": round(good / said, 3) if said else 0.0,
        "mean_chars": round(statistics.mean(lengths), 1),
        "max_chars": max(lengths),
        "missed": missed,
    }


def with_score(variant: Scorer, fn: Callable[[], T]) -> T:
    original = kb_compose.score
    kb_compose.score = variant  # type: ignore[assignment]  # the benchmark swaps compose's scorer for a variant
    try:
        return fn()
    finally:
        kb_compose.score = original


def speed(searcher: Searcher) -> dict[str, Any]:
    """Compose latency over every section with generic questions and its heading."""
    kb_compose.parse_section.cache_clear()
    sections = list(searcher.index.section_chunks)
    cold: list[float] = []
    warm: list[float] = []
    for doc_id, section in sections:
        result = _result_for(searcher, doc_id, section)
        for n, question in enumerate([section, *GENERIC]):
            started = time.perf_counter()
            kb_compose.compose(question, result, searcher)
            (cold if n == 0 else warm).append(time.perf_counter() - started)
    for doc_id, section in sections:  # warm again, each question now seen once
        result = _result_for(searcher, doc_id, section)
        for question in [section, *GENERIC]:
            started = time.perf_counter()
            kb_compose.compose(question + "？", result, searcher)
            warm.append(time.perf_counter() - started)

    def pct(values: list[float]) -> dict:
        ms = np.array(values) * 1000
        return {"n": len(values), "p50_ms": round(float(np.percentile(ms, 50)), 3),
                "p95_ms": round(float(np.percentile(ms, 95)), 3), "max_ms": round(float(ms.max()), 3)}

    return {"sections": len(sections), "first_call": pct(cold), "warm": pct(warm)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the shipped scoring on the dev split only; nothing written")
    args = parser.parse_args(argv)
    searcher = get_searcher()
    judged = [json.loads(line) for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    splits = {name: [j for j in judged if j["split"] == name] for name in ("dev", "test")}
    if args.quick:
        row = evaluate(searcher, splits["dev"])
        print({k: v for k, v in row.items() if k != "missed"})
        for miss in row["missed"]:
            print(miss["id"], miss["question"], "→", miss["answer"])
        return 0
    lexical = kb_compose.score

    def no_figure_bonus(query: kb_compose.Query, block: Block) -> float:
        bonus = query.wants_figures and block.kind != "faq" and any(p.has_figure for p in block.pieces)
        return lexical(query, block) - kb_compose.FIGURE_BONUS * bonus

    variants: dict[str, Scorer | None] = {"lexical (shipped)": None, "lexical, no figure bonus": no_figure_bonus}
    for weight in ENCODER_WEIGHTS:
        variants[f"lexical + {weight} x encoder cosine"] = EncoderScore(searcher, weight)
    variants["encoder cosine alone"] = EncoderScore(searcher, 1.0, alone=True)
    report: dict = {"index": f"{shown_path(searcher.settings.index_dir)} ({len(searcher.index.chunks)} chunks, "
                             f"{len(searcher.index.section_chunks)} sections)", "variants": {}}
    for name, variant in variants.items():
        row = {}
        for split, items in splits.items():
            for path in ("section", "search"):
                encoder = variant if isinstance(variant, EncoderScore) else None
                run = partial(evaluate, searcher, items, variant=encoder, path=path)
                row[f"{split}/{path}"] = run() if variant is None else with_score(variant, run)
        report["variants"][name] = row
        print(name, {k: {m: v for m, v in r.items() if m != "missed"} for k, r in row.items()}, file=sys.stderr)
    report["speed"] = speed(searcher)
    (ROOT / "reports" / "compose_eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (ROOT / "reports" / "compose_eval.md").write_text(render(report, {k: len(v) for k, v in splits.items()}))
    return 0


def render(report: dict, sizes: dict[str, int]) -> str:
    lines = [
        "# Composing answers: evaluation",
        "",
        f"`benchmarks/compose_eval.py`, judgements in benchmarks/compose_judgements.jsonl: *dev* = the {sizes['dev']}",
        "answerable questions of eval_a/b/c (read while composing was developed), *test* = the",
        f"{sizes['test']} questions of calib_hard (judged before any composed answer to them was seen,",
        "run once at the end).",
        "*best part*: the best-scored part of the section is one that answers; *answered*: the answer says",
        "a judged part; *on topic*: share of the parts said that answer; *section*: composed from the",
        "section the question was written for; *search*: from the searcher's first result, on the",
        "questions where that is the judged section (n); judgements whose section or parts the",
        "documents no longer have are left out (stale).",
        "",
        f"Index: {report['index']}.",
        "",
        "| scoring | split | best part | answered | on topic | mean chars | answered (search) | n (search) | stale |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in report["variants"].items():
        for split in ("dev", "test"):
            s, r = row[f"{split}/section"], row[f"{split}/search"]
            lines.append(f"| {name} | {split} | {s['best_part_answers']} | {s['answered']} | {s['on_topic']} | "
                         f"{s['mean_chars']} | {r['answered']} | {r['questions']} | {s['stale']} |")
    speed_ = report["speed"]
    lines += [
        "",
        f"Speed over {speed_['sections']} sections (heading and {len(GENERIC)} generic questions each):",
        (f"first call per section (parse included) p50 {speed_['first_call']['p50_ms']} ms, "
         f"p95 {speed_['first_call']['p95_ms']} ms; warm p50 {speed_['warm']['p50_ms']} ms, "
         f"p95 {speed_['warm']['p95_ms']} ms (max {speed_['warm']['max_ms']} ms)."),
    ]
    for split in ("dev", "test"):
        lines += ["", f"## Not answered with the shipped scoring ({split}, section path)", ""]
        for miss in report["variants"]["lexical (shipped)"][f"{split}/section"]["missed"]:
            lines.append(f"- {miss['id']} {miss['question']} → {miss['answer']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
