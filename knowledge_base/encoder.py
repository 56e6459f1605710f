"""Loading and running a sentence encoder (ours or any sentence-transformers directory).

Offline only (see knowledge_base/__init__.py): models are read from local directories.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

TRAINING_MANIFEST = "kb_training.json"


class EncoderMissingError(FileNotFoundError):
    """No sentence-transformers model at the configured path."""


def is_encoder_dir(path: Path) -> bool:
    return (path / "modules.json").is_file()


def load_encoder(path: Path) -> SentenceTransformer:
    """Load a sentence-transformers model from a local directory, on the CPU, in eval mode."""
    if not is_encoder_dir(path):
        raise EncoderMissingError(
            f"no sentence encoder at {path}: run `python -m knowledge_base.build` "
            "or set KB_ENCODER_PATH to a sentence-transformers model directory"
        )
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    model.eval()
    return model


def fingerprint(path: Path) -> str:
    """Content hash of a model directory: an index is valid only for the encoder that built it."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.name != "README.md"):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def embed(model: SentenceTransformer, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings (inner product = cosine similarity), one row per text."""
    if not texts:
        dim = model.get_embedding_dimension() or 0
        return np.zeros((0, dim), dtype=np.float32)
    with torch.inference_mode():
        vectors = model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return np.ascontiguousarray(vectors, dtype=np.float32)
