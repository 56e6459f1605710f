"""Policy documents: Markdown files with YAML front matter.

A document's id is its file stem, which is what questions and citations refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml


class DocumentError(ValueError):
    """A document file that cannot be read as front matter + Markdown."""


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    category: str
    source: str
    effective_date: str
    body: str


def _split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise DocumentError(f"{path}: no YAML front matter")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise DocumentError(f"{path}: front matter is not closed by ---")
    meta = yaml.safe_load(parts[0][3:]) or {}
    if not isinstance(meta, dict):
        raise DocumentError(f"{path}: front matter is not a mapping")
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return meta, body


def load_document(path: Path) -> Document:
    """Parse one document (UTF-8, with or without a BOM, any line endings)."""
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").lstrip("\ufeff")
    meta, body = _split_front_matter(text, path)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise DocumentError(f"{path}: front matter has no title")
    effective = meta.get("effective_date", "")
    return Document(
        doc_id=path.stem,
        title=title,
        category=str(meta.get("category") or ""),
        source=str(meta.get("source") or ""),
        effective_date=effective.isoformat() if isinstance(effective, date) else str(effective),
        body=body,
    )


def document_paths(documents_dir: Path) -> list[Path]:
    """All document files, in a stable order (ids sort the same on every machine)."""
    return sorted(documents_dir.glob("*.md"))


def load_documents(documents_dir: Path) -> list[Document]:
    return [load_document(p) for p in document_paths(documents_dir)]
