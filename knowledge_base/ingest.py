"""Build the index from the documents (`python -m knowledge_base.ingest`), incrementally.

Embedding is the expensive step, so it is done per document and cached under
<index_dir>/cache/, with a hash of the document's chunks in manifest.json: a run
re-embeds only documents whose chunks are new or changed (all of them if the encoder
changed) and drops removed ones. Hashing the chunks rather than the file means a
change of the chunking code is picked up too, and an edit that changes no chunk
(front matter other than the title) costs nothing. The FAISS and BM25 indexes are then reassembled from
the cache, which takes well under a second at this corpus size, into a fresh directory
that replaces the old one in one rename, so a reader never sees half an index.

The question keys (index.py) are the train questions outside the calibration share;
they are embedded again only when those questions or the encoder change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from knowledge_base import encoder as _encoder
from knowledge_base.chunking import Chunk, chunk_document, positions_by_section
from knowledge_base.core.config import KBSettings, get_settings
from knowledge_base.documents import load_documents
from knowledge_base.index import HybridIndex, QuestionKeys, resolve_index_type
from knowledge_base.segment import tokenize
from knowledge_base.training_data import Question, learned_questions

# Bump when chunk or index layout changes, so old caches are not reused.
INGEST_VERSION = 1
MANIFEST = "manifest.json"
INDEX_SUBDIR = "index"
CACHE_SUBDIR = "cache"
KEYS_CACHE = "question_keys.npy"


@dataclass
class IngestReport:
    embedded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    rebuilt: bool = False


def read_manifest(index_dir: Path) -> dict[str, Any]:
    path = index_dir / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {}


def _chunks_hash(chunks: list[Chunk]) -> str:
    payload = json.dumps([c.to_dict() for c in chunks], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _cache_paths(cache: Path, doc_id: str) -> tuple[Path, Path]:
    return cache / f"{doc_id}.jsonl", cache / f"{doc_id}.npy"


def _embed_document(doc_id: str, chunks: list[Chunk], model: Any, cache: Path) -> None:
    vectors = _encoder.embed(model, [c.search_text for c in chunks])
    text_path, vector_path = _cache_paths(cache, doc_id)
    text_path.write_text("".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in chunks), "utf-8")
    np.save(vector_path, vectors)


def _assemble(doc_ids: list[str], cache: Path) -> tuple[list[Chunk], np.ndarray]:
    """All cached chunks in document order; a chunk whose text already appeared in an
    earlier document (shared boilerplate) is dropped so it cannot crowd the results."""
    chunks: list[Chunk] = []
    rows: list[np.ndarray] = []
    seen: set[str] = set()
    for doc_id in doc_ids:
        text_path, vector_path = _cache_paths(cache, doc_id)
        vectors = np.load(vector_path)
        lines = [line for line in text_path.read_text("utf-8").splitlines() if line]
        for line, vector in zip(lines, vectors, strict=True):
            chunk = Chunk(**json.loads(line))
            if chunk.dedup_key not in seen:
                seen.add(chunk.dedup_key)
                chunks.append(chunk)
                rows.append(vector)
    return chunks, np.stack(rows)


def _key_questions(settings: KBSettings) -> tuple[list[Question], str]:
    """The questions that become keys, and a hash of them."""
    questions = learned_questions(settings.questions_dir)
    payload = json.dumps([[q.doc_id, q.section, q.question] for q in questions], ensure_ascii=False)
    return questions, hashlib.sha256(payload.encode()).hexdigest()


def _question_keys(questions: list[Question], chunks: list[Chunk], vectors: np.ndarray) -> QuestionKeys | None:
    """Each question pointed at the first chunk of its section; questions whose section
    is gone from the documents are left out."""
    first_chunk = {section: positions[0] for section, positions in positions_by_section(chunks).items()}
    kept = [i for i, q in enumerate(questions) if (q.doc_id, q.section) in first_chunk]
    if not kept:
        return None
    return QuestionKeys.build(
        [first_chunk[(questions[i].doc_id, questions[i].section)] for i in kept],
        vectors[kept],
        [tokenize(questions[i].question) for i in kept],
    )


def _swap_in(new_dir: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new_dir.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def ingest(settings: KBSettings, *, model: Any = None, progress: bool = True) -> IngestReport:
    """Bring the index in line with the documents; `model` overrides loading the encoder."""
    started = time.perf_counter()
    index_dir = settings.index_dir
    cache = index_dir / CACHE_SUBDIR
    recipe = {"version": INGEST_VERSION, "encoder": _encoder.fingerprint(settings.encoder_path)}
    documents = load_documents(settings.documents_dir)
    if not documents:
        raise FileNotFoundError(f"no documents (*.md) in {settings.documents_dir}")
    chunked = {d.doc_id: chunk_document(d, settings.chunk_chars, settings.overlap_chars) for d in documents}
    hashes = {doc_id: _chunks_hash(chunks) for doc_id, chunks in chunked.items()}
    manifest = read_manifest(index_dir)
    known: dict[str, str] = manifest.get("documents", {}) if manifest.get("recipe") == recipe else {}
    kind = resolve_index_type(settings.index_type, manifest.get("chunks", 0), settings.hnsw_min_chunks)

    changed = [doc_id for doc_id in chunked if known.get(doc_id) != hashes[doc_id]
               or not all(p.is_file() for p in _cache_paths(cache, doc_id))]
    removed = sorted(set(known) - set(chunked))
    questions, keys_hash = _key_questions(settings)
    keys_path = cache / KEYS_CACHE
    keys_changed = not known or manifest.get("keys") != keys_hash or not keys_path.is_file()
    report = IngestReport(embedded=changed, removed=removed)
    up_to_date = (not changed and not removed and not keys_changed and manifest.get("index_type") == kind.value
                  and (index_dir / INDEX_SUBDIR).is_dir())
    if up_to_date:
        report.chunks = manifest.get("chunks", 0)
        return report

    if not known:
        shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    if changed or keys_changed:
        model = model or _encoder.load_encoder(settings.encoder_path)
    for doc_id in tqdm(changed, desc="embedding documents", unit="doc", disable=not progress, file=sys.stderr):
        _embed_document(doc_id, chunked[doc_id], model, cache)
    if keys_changed:
        np.save(keys_path, _encoder.embed(model, [q.question for q in questions]))
    for doc_id in removed:
        for path in _cache_paths(cache, doc_id):
            path.unlink(missing_ok=True)

    chunks, embeddings = _assemble(list(chunked), cache)
    kind = resolve_index_type(settings.index_type, len(chunks), settings.hnsw_min_chunks)
    keys = _question_keys(questions, chunks, np.load(keys_path))
    index = HybridIndex.build(chunks, embeddings, [tokenize(c.search_text) for c in chunks], kind, keys)
    staging = index_dir / f"{INDEX_SUBDIR}.new"
    shutil.rmtree(staging, ignore_errors=True)
    index.save(staging)
    _swap_in(staging, index_dir / INDEX_SUBDIR)
    new_manifest = {
        "recipe": recipe,
        "encoder_path": str(settings.encoder_path),
        "index_type": kind.value,
        "chunks": len(chunks),
        "documents": hashes,
        "keys": keys_hash,
    }
    (index_dir / MANIFEST).write_text(json.dumps(new_manifest, indent=2, ensure_ascii=False))
    report.chunks = len(chunks)
    report.rebuilt = True
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Index the knowledge-base documents (only what changed).")
    parser.parse_args(argv)
    settings = get_settings()
    report = ingest(settings)
    if not report.rebuilt:
        print(f"index up to date: {report.chunks} chunks in {settings.index_dir}")
    else:
        print(f"indexed {report.chunks} chunks in {report.seconds} s "
              f"(embedded {len(report.embedded)} documents, removed {len(report.removed)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
