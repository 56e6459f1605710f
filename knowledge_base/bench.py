"""Latency and build-throughput benchmark (`python -m knowledge_base.bench`).

1. The real index: end-to-end `Searcher.search` latency (query encoding, FAISS, BM25,
   fusion), and the encoder's and jieba's throughput on the real chunks.
2. Synthetic corpora of 10,000 and 100,000 chunks, for each dense index kind (flat,
   HNSW, IVF): index build throughput and query latency of the retrieval step. The
   synthetic chunks are real chunks perturbed: embeddings are real embeddings plus
   noise, re-normalised; BM25 token lists are drawn from the real chunks' words. The
   query side uses real encoded questions, so only the corpus size is synthetic.
   HNSW and IVF recall@10 against the exact flat index shows what their speed costs.
Writes reports/kb_bench.md and reports/kb_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import faiss
import numpy as np
import torch

from knowledge_base import encoder as _encoder
from knowledge_base.core.config import REPO_ROOT, IndexType, KBSettings, get_settings, shown_path
from knowledge_base.index import HybridIndex, LexicalIndex, Mode, build_dense
from knowledge_base.search import Searcher, serve_single_threaded
from knowledge_base.segment import tokenize
from knowledge_base.training_data import load_train_questions

SEED = 7
QUERIES = 200
RECALL_AT = 10
# Each query is timed this often and its median kept, so that other processes on a
# shared machine do not pass for the search's own tail latency.
REPEATS = 3


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


T = TypeVar("T")


def _timed(fn: Callable[..., T], *args: Any) -> tuple[float, T]:
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def _latency(fn: Callable[..., object], *args: Any, before: Callable[[], object] | None = None) -> float:
    """Median of REPEATS timings of one call (`before` runs untimed ahead of each)."""
    samples = []
    for _ in range(REPEATS):
        if before is not None:
            before()
        samples.append(_timed(fn, *args)[0])
    return float(np.median(samples))


@contextmanager
def _all_threads() -> Iterator[None]:
    """Index builds and bulk encoding run in the ingest process, on all cores; queries
    run single-threaded as in Searcher (see search.serve_single_threaded)."""
    cores = os.cpu_count() or 1
    torch.set_num_threads(cores)
    faiss.omp_set_num_threads(cores)
    try:
        yield
    finally:
        serve_single_threaded()


def bench_real(searcher: Searcher, questions: list[str]) -> dict:
    """End-to-end search latency at the real corpus size, with uncached query encoding."""
    searcher.search(questions[0])  # warm-up: first torch call allocates
    clear = searcher._embed_cached.cache_clear  # every timing includes encoding the query
    latencies = [_latency(searcher.search, q, before=clear) for q in questions]
    chunk_texts = [c.search_text for c in searcher.index.chunks]
    with _all_threads():
        encode_s, _ = _timed(_encoder.embed, searcher.model, chunk_texts)
    tokenize_s, _ = _timed(lambda texts: [tokenize(t) for t in texts], chunk_texts)
    return {
        "chunks": len(chunk_texts),
        "queries": len(questions),
        "search": _percentiles(latencies),
        "encode_chunks_per_s": round(len(chunk_texts) / encode_s, 1),
        "tokenize_chunks_per_s": round(len(chunk_texts) / tokenize_s, 1),
    }


def synthetic_corpus(index: HybridIndex, size: int, rng: np.random.Generator) -> tuple[np.ndarray, list[list[str]]]:
    base = index.embeddings
    picks = rng.integers(0, len(base), size)
    vectors = base[picks] + rng.normal(0, 0.08, (size, base.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vocabulary = [tokenize(c.search_text) for c in index.chunks]
    lengths = rng.integers(20, 80, size)
    donors = rng.integers(0, len(vocabulary), (size, 3))
    tokens = []
    for length, row in zip(lengths, donors, strict=True):
        pool = [t for d in row for t in vocabulary[d]]
        tokens.append([pool[i] for i in rng.integers(0, len(pool), length)])
    return np.ascontiguousarray(vectors, dtype=np.float32), tokens


def bench_synthetic(index: HybridIndex, query_vectors: np.ndarray, query_tokens: list[list[str]], size: int,
                    kinds: list[IndexType], settings: KBSettings) -> dict:
    """BM25 is built once per size (it does not depend on the dense kind); each dense kind
    is built and queried on the same vectors, and compared with the exact flat index."""
    rng = np.random.default_rng(SEED)
    vectors, tokens = synthetic_corpus(index, size, rng)
    chunks = [index.chunks[i % len(index.chunks)] for i in range(size)]
    bm25_s, lexical = _timed(LexicalIndex.build, tokens)
    results: dict = {"bm25_build_chunks_per_s": round(size / bm25_s, 1)}
    exact: list[set[int]] | None = None
    for kind in kinds:
        with _all_threads():
            build_s, dense = _timed(build_dense, vectors, kind)
        hybrid = HybridIndex(chunks, vectors, dense, lexical)
        _, neighbours = dense.search(query_vectors, RECALL_AT)
        found = [set(map(int, row)) for row in neighbours]
        exact = exact if exact is not None else found
        recall = float(np.mean([len(a & b) / RECALL_AT for a, b in zip(found, exact, strict=True)]))
        dense_only = [_latency(dense.search, v.reshape(1, -1), RECALL_AT) for v in query_vectors]
        latencies = [_latency(lambda v=v, w=w, hybrid=hybrid: hybrid.rank(
            v, w, mode=Mode.hybrid, n_candidates=settings.candidates,
            dense_weight=settings.dense_weight, bm25_weight=settings.bm25_weight))
            for v, w in zip(query_vectors, query_tokens, strict=True)]
        results[kind.value] = {
            "build_s": round(build_s, 2),
            "build_chunks_per_s": round(size / build_s, 1),
            "dense_search": _percentiles(dense_only),
            "hybrid_rank": _percentiles(latencies),
            f"recall@{RECALL_AT}_vs_flat": round(recall, 4),
        }
    return results


def render_markdown(report: dict) -> str:
    real = report["real"]
    lines = [
        "# Knowledge-base benchmark",
        "",
        f"Machine: {report['machine']}. Encoder `{report['encoder']}`.",
        "",
        f"## Real corpus ({real['chunks']} chunks, {real['queries']} queries)",
        "",
        (f"- end-to-end `Searcher.search` (encode query + FAISS + BM25 + fusion): p50 {real['search']['p50_ms']} ms, "
         f"p95 {real['search']['p95_ms']} ms"),
        f"- encoder throughput (ingest): {real['encode_chunks_per_s']} chunks/s",
        f"- jieba tokenisation (ingest): {real['tokenize_chunks_per_s']} chunks/s",
        "",
        "## Synthetic corpora (retrieval step only, query already encoded)",
        "",
        ("| chunks | dense index | dense build s | dense build chunks/s | dense p50 ms | dense p95 ms "
         f"| hybrid p50 ms | hybrid p95 ms | recall@{RECALL_AT} vs flat |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, kinds in report["synthetic"].items():
        for kind, r in kinds.items():
            if not isinstance(r, dict):
                continue
            lines.append(
                f"| {size} | {kind} | {r['build_s']} | {r['build_chunks_per_s']} | {r['dense_search']['p50_ms']} "
                f"| {r['dense_search']['p95_ms']} | {r['hybrid_rank']['p50_ms']} | {r['hybrid_rank']['p95_ms']} "
                f"| {r[f'recall@{RECALL_AT}_vs_flat']} |"
            )
    lines += [
        "",
        "BM25 build throughput (tokens given): "
        + ", ".join(f"{size} chunks: {kinds['bm25_build_chunks_per_s']} chunks/s"
                    for size, kinds in report["synthetic"].items()) + ".",
        (f"Latencies: per query the median of {REPEATS} runs, then p50/p95 over the queries. "
         "Dense p50/p95 is the FAISS search alone (top 10). Hybrid adds BM25 scoring of every chunk (a sparse "
         "product, linear in the corpus) and the fusion of both candidate lists."),
        "",
        f"Benchmark ran in {report['seconds']} s.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark search latency and index build throughput.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = get_settings()
    searcher = Searcher(settings)
    questions = [q.question for q in load_train_questions(settings.questions_dir)]
    rng = np.random.default_rng(SEED)
    sample = [questions[i] for i in rng.choice(len(questions), min(QUERIES, len(questions)), replace=False)]
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores; queries single-threaded, builds on all cores",
        "encoder": shown_path(settings.encoder_path),
        "real": bench_real(searcher, sample),
    }
    query_vectors = _encoder.embed(searcher.model, sample)
    query_tokens = [tokenize(q) for q in sample]
    kinds = [IndexType.flat, IndexType.hnsw, IndexType.ivf]
    report["synthetic"] = {
        str(size): bench_synthetic(searcher.index, query_vectors, query_tokens, size, kinds, settings)
        for size in args.sizes
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "kb_bench.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = render_markdown(report)
    (args.out / "kb_bench.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
