"""Helpers shared by the knowledge-base tests: a tiny corpus and a tiny encoder config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from knowledge_base.core.config import KBSettings
from knowledge_base.train_encoder import TrainConfig

CORPUS = Path(__file__).parent / "corpus"
REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = TrainConfig(hidden_size=32, num_layers=1, num_heads=2, intermediate_size=64, max_seq_length=64,
                   sections_per_batch=4, pairs_per_batch=8, question_epochs=6, paraphrase_epochs=1,
                   learning_rate=3e-3)


def kb_settings(root: Path, encoder: Path | None = None) -> KBSettings:
    return KBSettings(
        documents_dir=root / "documents",
        questions_dir=root / "questions",
        nlu_dir=root / "nlu",
        index_dir=root / "var" / "kb",
        encoder_path=encoder or root / "models" / "kb-encoder",
    )


def settings_env(settings: KBSettings) -> dict[str, str]:
    """The environment that makes a subprocess see the same settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({
        "KB_DOCUMENTS_DIR": str(settings.documents_dir),
        "KB_QUESTIONS_DIR": str(settings.questions_dir),
        "KB_NLU_DIR": str(settings.nlu_dir),
        "KB_INDEX_DIR": str(settings.index_dir),
        "KB_ENCODER_PATH": str(settings.encoder_path),
        "PYTHONPATH": str(REPO_ROOT),
    })
    return env


def run_module(module: str, args: list[str], settings: KBSettings, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], input=stdin, capture_output=True,
                          env=settings_env(settings), cwd=REPO_ROOT, timeout=120, check=False)


def copy_corpus(target: Path) -> Path:
    shutil.copytree(CORPUS, target, dirs_exist_ok=True)
    return target
