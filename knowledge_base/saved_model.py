"""Small scikit-learn models kept next to the index, each with the key of its training data.

The topic classifier (topic.py) and the section classifier (sections.py) train in
seconds at build time. Each is saved with a key that changes whenever what it learns
from changes, and a model whose key does not match is never loaded: the searcher would
rather go without it than judge by a stale one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

from knowledge_base.core.config import KBSettings


def files_key(version: str, files: Iterable[Path]) -> str:
    """A key that changes with the model's version tag and with any byte of its training files."""
    digest = hashlib.sha256(version.encode())
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class SavedModel:
    """Where one kind of model lives under the index directory."""

    file_name: str

    def path(self, settings: KBSettings) -> Path:
        return settings.index_dir / self.file_name

    def _read(self, settings: KBSettings) -> dict[str, Any] | None:
        path = self.path(settings)
        return joblib.load(path) if path.is_file() else None

    def load(self, settings: KBSettings, key: str) -> Any | None:
        """The saved model if it was trained on the data `key` stands for, else None."""
        saved = self._read(settings)
        return saved["model"] if saved is not None and saved.get("key") == key else None

    def is_stale(self, settings: KBSettings, key: str) -> bool:
        saved = self._read(settings)
        return saved is None or saved.get("key") != key

    def save(self, settings: KBSettings, key: str, model: Any) -> None:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        joblib.dump({"key": key, "model": model}, self.path(settings))
