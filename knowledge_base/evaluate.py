"""Measure retrieval on the eval questions (`python -m knowledge_base.evaluate`).

BM25 alone, the dense encoder alone and the hybrid are scored side by side: hit@1,
hit@3 and MRR@10, where a hit is a result from the expected document and section
(and, at document level, from the expected document), per kind of question; then
no-answer precision and recall of the hybrid's `answerable` flag. Writes
reports/kb_eval.md and reports/kb_eval.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.core.config import REPO_ROOT, KBSettings, get_settings
from knowledge_base.index import Mode
from knowledge_base.search import Searcher

MRR_DEPTH = 10
KINDS = ("normal", "paraphrase")


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    doc_id: str | None
    section: str | None
    kind: str


def load_eval(questions_dir: Path) -> list[EvalQuestion]:
    rows = []
    for path in sorted(questions_dir.glob("eval_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append(EvalQuestion(row["question"], row.get("doc_id"), row.get("section"), row["kind"]))
    return rows


def _rank_of(ranked: list[tuple[str, str]], target: tuple[str, str] | str) -> int | None:
    for position, (doc_id, section) in enumerate(ranked, 1):
        if target == (doc_id, section) or target == doc_id:
            return position
    return None


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / n, 4),
        "hit@3": round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / n, 4),
        "n": len(ranks),
    }


def retrieval_metrics(searcher: Searcher, questions: list[EvalQuestion]) -> dict:
    """{mode: {level: {kind: metrics}}} over the answerable questions."""
    answerable = [q for q in questions if q.kind != "unanswerable"]
    results: dict = {}
    for mode in (Mode.bm25, Mode.dense, Mode.hybrid):
        section_ranks: dict[str, list[int | None]] = {kind: [] for kind in (*KINDS, "all")}
        doc_ranks: dict[str, list[int | None]] = {kind: [] for kind in (*KINDS, "all")}
        for q in answerable:
            ranked = [(r.doc_id, r.section) for r in searcher.rank(q.question, k=MRR_DEPTH, mode=mode)]
            for kind in (q.kind, "all"):
                section_ranks.setdefault(kind, []).append(_rank_of(ranked, (q.doc_id, q.section)))
                doc_ranks.setdefault(kind, []).append(_rank_of(ranked, q.doc_id))
        results[mode.value] = {
            "section": {kind: _metrics(r) for kind, r in section_ranks.items()},
            "document": {kind: _metrics(r) for kind, r in doc_ranks.items()},
        }
    return results


def no_answer_metrics(searcher: Searcher, questions: list[EvalQuestion]) -> dict:
    """Precision and recall of answerable=false as a detector of unanswerable questions."""
    flagged = [(q, not searcher.search(q.question, k=3).answerable) for q in questions]
    true_pos = sum(1 for q, f in flagged if f and q.kind == "unanswerable")
    false_pos = [q.question for q, f in flagged if f and q.kind != "unanswerable"]
    missed = [q.question for q, f in flagged if not f and q.kind == "unanswerable"]
    positives = sum(q.kind == "unanswerable" for q in questions)
    return {
        "threshold": searcher.threshold,
        "topic_threshold": searcher.topic_threshold,
        "precision": round(true_pos / (true_pos + len(false_pos)), 4) if true_pos + len(false_pos) else None,
        "recall": round(true_pos / positives, 4) if positives else None,
        "unanswerable": positives,
        "answerable_rejected": false_pos,
        "unanswerable_answered": missed,
    }


def _table(results: dict, level: str) -> list[str]:
    lines = ["| retriever | kind | n | hit@1 | hit@3 | MRR@10 |", "|---|---|---|---|---|---|"]
    for mode, by_level in results.items():
        for kind, m in by_level[level].items():
            lines.append(f"| {mode} | {kind} | {m['n']} | {m['hit@1']:.3f} | {m['hit@3']:.3f} | {m['mrr']:.3f} |")
    return lines


def render_markdown(report: dict) -> str:
    no_answer = report["no_answer"]
    lines = [
        "# Knowledge-base retrieval evaluation",
        "",
        f"Eval questions: {report['questions']} ({report['answerable']} answerable, "
        f"{no_answer['unanswerable']} unanswerable), from knowledge_base/questions/eval_*.jsonl. "
        "None of them is used in training or calibration.",
        f"Encoder: `{report['encoder']}`; index: {report['chunks']} chunks; "
        f"fusion weights dense {report['weights'][0]} / BM25 {report['weights'][1]}.",
        "",
        "## Section level (hit = expected document and section)",
        "",
        *_table(report["retrieval"], "section"),
        "",
        "## Document level (hit = expected document)",
        "",
        *_table(report["retrieval"], "document"),
        "",
        "## No answer (hybrid, `answerable` = false)",
        "",
        f"Cuts: retrieval score {no_answer['threshold']}, topic probability "
        f"{no_answer.get('topic_threshold', 0.0)}: precision {no_answer['precision']}, recall {no_answer['recall']}.",
        "",
    ]
    if no_answer["answerable_rejected"]:
        lines += ["Answerable questions judged unanswerable:", ""]
        lines += [f"- {q}" for q in no_answer["answerable_rejected"]] + [""]
    if no_answer["unanswerable_answered"]:
        lines += ["Unanswerable questions judged answerable:", ""]
        lines += [f"- {q}" for q in no_answer["unanswerable_answered"]] + [""]
    lines.append(f"Evaluated in {report['seconds']} s.")
    return "\n".join(lines) + "\n"


def evaluate(settings: KBSettings) -> dict:
    started = time.perf_counter()
    searcher = Searcher(settings)
    questions = load_eval(settings.questions_dir)
    report = {
        "questions": len(questions),
        "answerable": sum(q.kind != "unanswerable" for q in questions),
        "encoder": str(settings.encoder_path),
        "chunks": len(searcher.index.chunks),
        "weights": [settings.dense_weight, settings.bm25_weight],
        "retrieval": retrieval_metrics(searcher, questions),
        "no_answer": no_answer_metrics(searcher, questions),
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate retrieval on the eval questions.")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports", help="where kb_eval.md/.json go")
    args = parser.parse_args(argv)
    report = evaluate(get_settings())
    markdown = render_markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "kb_eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / "kb_eval.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
