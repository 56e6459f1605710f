"""Fixtures: the tiny knowledge base, built once per session; tests that change documents
work on their own copy."""

from __future__ import annotations

import shutil

import pytest

from knowledge_base.core.config import KBSettings

from .support import TINY, copy_corpus, kb_settings


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory) -> KBSettings:
    """The tiny corpus with a trained tiny encoder, index and calibrated threshold."""
    from knowledge_base.build import build

    settings = kb_settings(copy_corpus(tmp_path_factory.mktemp("kb")))
    build(settings, TINY, progress=False)
    return settings


@pytest.fixture
def kb_copy(built_kb, tmp_path) -> KBSettings:
    """A private copy of the built knowledge base (documents, index), sharing the encoder."""
    root = copy_corpus(tmp_path / "kb")
    shutil.copytree(built_kb.index_dir, root / "var" / "kb")
    return kb_settings(root, encoder=built_kb.encoder_path)
