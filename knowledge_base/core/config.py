"""Settings of the knowledge base, read from KB_* environment variables.

Paths default to the repository layout so that a fresh clone works with no
configuration; an operator points them elsewhere (or at another sentence encoder
with KB_ENCODER_PATH) without touching code.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO_ROOT / "knowledge_base"
DATA_DIR = PACKAGE_DIR / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
# Questions no document answers, for the topic classifier (train) and the no-answer cuts
# (calibration): about other things (offtopic_*), and about utility business that our
# documents do not cover (uncovered_*: surge damage claims, rooftop solar, moving a pole).
UNANSWERABLE_TRAIN_PATHS = (DATA_DIR / "offtopic_train.txt", DATA_DIR / "uncovered_train.txt")
UNANSWERABLE_CALIBRATION_PATHS = (DATA_DIR / "offtopic_calibration.txt", DATA_DIR / "uncovered_calibration.txt")


class IndexType(str, Enum):
    """Dense index kinds; `auto` picks flat for small corpora and HNSW above `hnsw_min_chunks`."""

    auto = "auto"
    flat = "flat"
    hnsw = "hnsw"
    ivf = "ivf"


class KBSettings(BaseSettings):
    """Everything the knowledge base reads from the environment (prefix KB_)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    documents_dir: Path = PACKAGE_DIR / "documents"
    questions_dir: Path = PACKAGE_DIR / "questions"
    nlu_dir: Path = REPO_ROOT / "nlu_data" / "train"
    index_dir: Path = REPO_ROOT / "var" / "kb"
    # Any sentence-transformers model directory; the default is the one train_encoder writes.
    encoder_path: Path = REPO_ROOT / "models" / "kb-encoder"

    index_type: IndexType = IndexType.auto
    hnsw_min_chunks: int = 20_000

    # Fusion: score = (dense_weight * cosine + bm25_weight * BM25 query coverage) / sum of weights.
    # 0.3/0.7 ranked best on the held-out train questions (0.2-0.4 all within 0.02 of hit@3).
    dense_weight: float = Field(0.3, ge=0)
    bm25_weight: float = Field(0.7, ge=0)
    # A match on a known train question counts this much of a match on the passage itself
    # (index.py, question keys); 0 turns the keys off. 0.8 ranked best on the held-out
    # train questions (0, 0.6, 0.8, 0.9, 1.0 compared).
    question_key_weight: float = Field(0.8, ge=0, le=1)
    # Sections are ordered by retrieval score plus this times the section classifier's
    # probability (sections.py); 0 turns the classifier off. 1.5 ranked best on the
    # calibration questions (0, 0.5, 0.8, 1.0, 1.5, 3.0 compared).
    section_classifier_weight: float = Field(1.5, ge=0)
    # How many candidates each retriever contributes before fusion.
    candidates: int = Field(50, ge=1)
    # None: use the value calibrated at build time (threshold.json next to the index).
    no_answer_threshold: float | None = None

    # Queries longer than this are not a question but a paste; they are answered "not answerable".
    max_query_chars: int = Field(500, ge=1)

    # Chunking: a section longer than chunk_chars is split at paragraphs, carrying the last
    # paragraph over (up to overlap_chars) so no sentence loses its context.
    chunk_chars: int = Field(360, ge=50)
    overlap_chars: int = Field(120, ge=0)


def get_settings() -> KBSettings:
    """Fresh settings from the current environment (tests change it between calls)."""
    return KBSettings()


def shown_path(path: Path) -> str:
    """A path as reports name it: relative to the repository, so that committed reports
    never carry the build machine's directories."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else resolved.name
