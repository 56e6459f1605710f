"""Search the built index (`python -m knowledge_base.search "问题" --k 3 --json`).

The output, `{"answerable": bool, "results": [{"doc_id", "title", "section", "text",
"score"}]}`, is the contract of the hub's GET /api/kb/search. Results are the best sections, ranked
by retrieval score and the section classifier's confidence (sections.py) together.
`answerable` is false when the best retrieval score is below the calibrated no-answer
threshold, when the topic classifier finds the question is not about what our documents
cover (topic.py), and for input that is no question at all (empty, a paste of thousands
of characters, emoji, binary noise).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import faiss
import numpy as np
import torch
from pydantic import BaseModel

from knowledge_base import encoder as _encoder
from knowledge_base.calibrate import Judged, read_threshold
from knowledge_base.chunking import Section
from knowledge_base.core.config import KBSettings, get_settings
from knowledge_base.index import HybridIndex, Mode
from knowledge_base.ingest import INDEX_SUBDIR, read_manifest
from knowledge_base.sections import load_section_classifier
from knowledge_base.segment import has_content, normalise, tokenize
from knowledge_base.topic import load_topic_classifier

DEFAULT_THRESHOLD = 0.35  # used only before a calibration has been written
SECTION_GUESSES = 10  # the section classifier's likeliest sections that join the candidates


class SearchResult(BaseModel):
    doc_id: str
    title: str
    section: str
    text: str
    score: float


class SearchResponse(BaseModel):
    answerable: bool
    results: list[SearchResult]


@dataclass(frozen=True)
class Ranking:
    results: list[SearchResult]  # the best chunk of each of the k best sections, best first
    # The best retrieval score among all candidates, the section classifier left out:
    # what the no-answer cut compares (sections.py says why).
    best_score: float


class IndexNotBuiltError(RuntimeError):
    """The index is missing or was built with another encoder than the configured one."""


def serve_single_threaded() -> None:
    """Run each query's encoding and FAISS search on one thread (process-wide: this is a
    serving process; ingest and training run in their own). One short query gains
    nothing from more threads, and on a busy machine OpenMP threads wait for each
    other: measured on 2 shared cores, query encoding p95 500 ms with 2 threads and
    2 ms with 1; FAISS flat search over 10,000 chunks p95 49 ms against 0.4 ms."""
    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)


class Searcher:
    """A loaded index plus its encoder; thread-safe for concurrent searches."""

    def __init__(self, settings: KBSettings):
        self.settings = settings
        manifest = read_manifest(settings.index_dir)
        index_dir = settings.index_dir / INDEX_SUBDIR
        if not manifest or not index_dir.is_dir():
            raise IndexNotBuiltError(f"no index in {settings.index_dir}: run `python -m knowledge_base.build`")
        self.model = _encoder.load_encoder(settings.encoder_path)
        if manifest["recipe"]["encoder"] != _encoder.fingerprint(settings.encoder_path):
            raise IndexNotBuiltError(
                f"the index in {settings.index_dir} was built with another encoder than {settings.encoder_path}: "
                "run `python -m knowledge_base.build`"
            )
        self.index = HybridIndex.load(index_dir)
        serve_single_threaded()
        self.topic = load_topic_classifier(settings)
        self.sections = load_section_classifier(settings) if settings.section_classifier_weight > 0 else None
        calibrated = read_threshold(settings, manifest)
        score_cut, self.topic_threshold = calibrated if calibrated is not None else (DEFAULT_THRESHOLD, 0.0)
        self.threshold = settings.no_answer_threshold if settings.no_answer_threshold is not None else score_cut
        self._lock = threading.Lock()
        self._embed_cached = lru_cache(maxsize=1024)(self._embed)

    def _embed(self, text: str) -> np.ndarray:
        with self._lock:  # a fast tokenizer fails ("Already borrowed") when two threads use it at once
            return _encoder.embed(self.model, [text])[0]

    def query_text(self, question: str) -> str | None:
        """The normalised question, or None when there is nothing to search for."""
        text = normalise(question)
        if len(text) > self.settings.max_query_chars or not has_content(text):
            return None
        return text

    def rank(self, question: str, *, k: int = 3, mode: Mode = Mode.hybrid,
             without_keys_of: Section | None = None) -> list[SearchResult]:
        """The best chunk of each of the k best sections, best first (see `ranking`)."""
        return self.ranking(question, k=k, mode=mode, without_keys_of=without_keys_of).results

    def ranking(self, question: str, *, k: int = 3, mode: Mode = Mode.hybrid,
                without_keys_of: Section | None = None) -> Ranking:
        """Sections ranked by score: their best chunk's retrieval score (HybridIndex.rank)
        and, in hybrid mode, the section classifier's probability at
        `section_classifier_weight`, averaged with those weights."""
        text = self.query_text(question)
        if text is None or k < 1:
            return Ranking([], 0.0)
        guessed = self._guess_sections(text) if mode is Mode.hybrid else {}
        hits = self.index.rank(
            self._embed_cached(text), tokenize(text), mode=mode, n_candidates=max(self.settings.candidates, k),
            dense_weight=self.settings.dense_weight, bm25_weight=self.settings.bm25_weight,
            key_weight=self.settings.question_key_weight, without_keys_of=without_keys_of,
            also=[i for section in guessed for i in self.index.section_chunks[section]],
        )
        weight = self.settings.section_classifier_weight if guessed else 0.0
        best: dict[Section, tuple[int, float]] = {}  # section -> (its best chunk, score)
        for hit in hits:
            chunk = self.index.chunks[hit.index]
            section = (chunk.doc_id, chunk.section)
            if section not in best:
                best[section] = hit.index, (hit.score + weight * guessed.get(section, 0.0)) / (1 + weight)
        ordered = sorted(best.items(), key=lambda item: -item[1][1])[:k]  # stable: ties keep retrieval order
        chunks = self.index.chunks
        results = [SearchResult(doc_id=chunks[i].doc_id, title=chunks[i].title, section=chunks[i].section,
                                text=chunks[i].text, score=round(score, 4)) for _, (i, score) in ordered]
        return Ranking(results, hits[0].score if hits else 0.0)

    def _guess_sections(self, text: str) -> dict[Section, float]:
        """The section classifier's likeliest sections that the index has (none without a classifier)."""
        if self.sections is None:
            return {}
        guessed = self.sections.guess(text, SECTION_GUESSES)
        return {section: p for section, p in guessed.items() if section in self.index.section_chunks}

    def on_topic(self, question: str) -> float:
        """The topic classifier's probability for the question (1.0 without a classifier)."""
        return self.topic.on_topic(question) if self.topic is not None else 1.0

    def judge(self, question: str, without_keys_of: Section | None = None) -> Judged:
        """What the no-answer decision looks at (calibration uses it too)."""
        return Judged(self.ranking(question, k=1, without_keys_of=without_keys_of).best_score,
                      self.on_topic(question))

    def search(self, question: object, k: int = 3) -> SearchResponse:
        """The answer to one question; never raises on odd input (a value from JSON may be anything)."""
        question = question if isinstance(question, str) else ""
        ranking = self.ranking(question, k=k)
        answerable = (
            bool(ranking.results) and ranking.best_score >= self.threshold
            and self.on_topic(question) >= self.topic_threshold
        )
        return SearchResponse(answerable=answerable, results=ranking.results)


_searcher: Searcher | None = None
_searcher_lock = threading.Lock()


def get_searcher() -> Searcher:
    """The process-wide searcher, loaded on first use (a second or two), then shared."""
    global _searcher
    if _searcher is None:
        with _searcher_lock:
            if _searcher is None:
                _searcher = Searcher(get_settings())
    return _searcher


def reset_searcher() -> None:
    """Forget the loaded searcher (after a rebuild, or in tests that change settings)."""
    global _searcher
    with _searcher_lock:
        _searcher = None


def _read_stdin_lines() -> list[str]:
    data = sys.stdin.buffer.read()
    return data.decode("utf-8", errors="replace").splitlines()


def _emit(response: SearchResponse, *, pretty: bool) -> None:
    payload: dict[str, Any] = response.model_dump()
    print(json.dumps(payload, ensure_ascii=False, indent=2 if pretty else None), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search the knowledge base.")
    parser.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    parser.add_argument("--k", type=int, default=3, help="number of results (default 3)")
    parser.add_argument("--json", action="store_true", help="one JSON object (the /api/kb/search body)")
    parser.add_argument("--jsonl", action="store_true", help="questions from stdin, one per line; JSON lines out")
    args = parser.parse_args(argv)
    if args.question is None and not args.jsonl:
        parser.error("give a question, or --jsonl with questions on stdin")
    try:
        searcher = get_searcher()
    except (IndexNotBuiltError, _encoder.EncoderMissingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    k = max(0, args.k)
    if args.jsonl:
        for line in _read_stdin_lines():
            _emit(searcher.search(line, k), pretty=False)
        return 0
    response = searcher.search(args.question, k)
    if args.json:
        _emit(response, pretty=False)
        return 0
    _print_human(response)
    return 0


def _print_human(response: SearchResponse) -> None:
    print("可以回答" if response.answerable else "知识库中没有可靠答案")
    for rank, result in enumerate(response.results, 1):
        print(f"\n{rank}. 《{result.title}》 {result.section}  (score {result.score})")
        print(result.text)


if __name__ == "__main__":
    sys.exit(main())
