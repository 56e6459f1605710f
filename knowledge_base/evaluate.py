"""Measure retrieval on the eval questions (`python -m knowledge_base.evaluate`).

BM25 alone, the dense encoder alone, the hybrid without its section classifier and the
hybrid are scored side by side: hit@1, hit@3 and MRR@10 per kind of question, at three
levels of what counts as a hit:
- section: the one section the question was written for;
- answer: that section or any other that answers the question on its own (`also` in the
  eval files: the documents repeat some facts, e.g. a time limit in the service
  commitments and in the service guide; judged by an annotator who read the question and
  the documents, never the search results);
- document: a section of the document the question was written for.
Then the hybrid's hit@3 per eval file, and no-answer precision and recall of its
`answerable` flag. Writes reports/kb_eval.md and reports/kb_eval.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.core.config import REPO_ROOT, KBSettings, get_settings, shown_path
from knowledge_base.index import Mode
from knowledge_base.search import Searcher

MRR_DEPTH = 10
KINDS = ("normal", "paraphrase")


LEVELS = ("section", "answer", "document")
HYBRID_WITHOUT_CLASSIFIER = "hybrid without section classifier"


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    doc_id: str | None
    section: str | None
    kind: str
    file: str = ""
    also: tuple[tuple[str, str], ...] = ()  # other sections that answer it too

    def targets(self, level: str) -> set[tuple[str, str] | str]:
        """What counts as a hit at `level`: (doc_id, section) pairs, or a doc_id."""
        if level == "document":
            return {self.doc_id} if self.doc_id else set()
        own: set[tuple[str, str] | str] = {(self.doc_id, self.section)} if self.doc_id and self.section else set()
        return own | set(self.also) if level == "answer" else own


def load_eval(questions_dir: Path) -> list[EvalQuestion]:
    rows = []
    for path in sorted(questions_dir.glob("eval_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                also = tuple((doc_id, section) for doc_id, section in row.get("also") or [])
                rows.append(EvalQuestion(row["question"], row.get("doc_id"), row.get("section"), row["kind"],
                                         path.stem, also))
    return rows


def _rank_of(ranked: list[tuple[str, str]], targets: set[tuple[str, str] | str]) -> int | None:
    for position, (doc_id, section) in enumerate(ranked, 1):
        if (doc_id, section) in targets or doc_id in targets:
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


def _retrievers(searcher: Searcher) -> dict[str, tuple[Searcher, Mode]]:
    """Name -> (searcher, mode); the hybrid once more without its section classifier."""
    plain = Searcher(searcher.settings.model_copy(update={"section_classifier_weight": 0.0}))
    return {Mode.bm25.value: (searcher, Mode.bm25), Mode.dense.value: (searcher, Mode.dense),
            HYBRID_WITHOUT_CLASSIFIER: (plain, Mode.hybrid), Mode.hybrid.value: (searcher, Mode.hybrid)}


def retrieval_metrics(searcher: Searcher, questions: list[EvalQuestion]) -> dict:
    """{retriever: {level: {kind: metrics}}} over the answerable questions, and the
    hybrid's metrics per eval file ({file: {level: metrics}})."""
    answerable = [q for q in questions if q.kind != "unanswerable"]
    results: dict = {}
    by_file: dict = {}
    for name, (retriever, mode) in _retrievers(searcher).items():
        ranks: dict[str, dict[str, list[int | None]]] = {level: {} for level in LEVELS}
        for q in answerable:
            ranked = [(r.doc_id, r.section) for r in retriever.rank(q.question, k=MRR_DEPTH, mode=mode)]
            for level in LEVELS:
                rank = _rank_of(ranked, q.targets(level))
                for group in (q.kind, "all", q.file):
                    ranks[level].setdefault(group, []).append(rank)
        files = sorted({q.file for q in answerable})
        results[name] = {level: {kind: _metrics(groups[kind]) for kind in (*KINDS, "all") if kind in groups}
                         for level, groups in ranks.items()}
        if mode is Mode.hybrid and retriever is searcher:
            by_file = {f: {level: _metrics(ranks[level][f]) for level in LEVELS} for f in files}
    return {"retrievers": results, "by_file": by_file}


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


def _file_table(by_file: dict) -> list[str]:
    lines = ["| eval file | n | section hit@3 | answer hit@1 | answer hit@3 | document hit@3 |", "|---|---|---|---|---|---|"]
    for name, m in by_file.items():
        lines.append(f"| {name} | {m['section']['n']} | {m['section']['hit@3']:.3f} | {m['answer']['hit@1']:.3f} | "
                     f"{m['answer']['hit@3']:.3f} | {m['document']['hit@3']:.3f} |")
    return lines


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
        (f"Eval questions: {report['questions']} ({report['answerable']} answerable, "
         f"{no_answer['unanswerable']} unanswerable), from knowledge_base/questions/eval_*.jsonl. "
         "None of them is used in training or calibration."),
        (f"Encoder: `{report['encoder']}`; index: {report['chunks']} chunks; "
         f"fusion weights dense {report['weights'][0]} / BM25 {report['weights'][1]}."),
        "",
        "## Section level (hit = the section the question was written for)",
        "",
        *_table(report["retrieval"]["retrievers"], "section"),
        "",
        "## Answer level (hit = any section that answers the question on its own)",
        "",
        *_table(report["retrieval"]["retrievers"], "answer"),
        "",
        "## Document level (hit = the document the question was written for)",
        "",
        *_table(report["retrieval"]["retrievers"], "document"),
        "",
        "## Hybrid per eval file",
        "",
        *_file_table(report["retrieval"]["by_file"]),
        "",
        "## No answer (hybrid, `answerable` = false)",
        "",
        (f"Cuts: retrieval score {no_answer['threshold']}, topic probability "
         f"{no_answer.get('topic_threshold', 0.0)}: precision {no_answer['precision']}, recall {no_answer['recall']}."),
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
        "encoder": shown_path(settings.encoder_path),
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
