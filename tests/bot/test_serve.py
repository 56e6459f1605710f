"""The Rasa service drops the known third-party notices and nothing of the project's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.serve import is_known_third_party

ROOT = Path(__file__).resolve().parents[2]


def test_known_third_party_notices_are_recognised() -> None:
    assert is_known_third_party("/x/.venv-rasa/lib/python3.10/site-packages/pkg_resources/__init__.py")
    assert is_known_third_party("/x/lib/python3.10/site-packages/matplotlib/fontconfig_pattern.py")
    assert not is_known_third_party("/x/lib/python3.10/site-packages/rasa/core/processor.py")
    assert not is_known_third_party("/repo/bot/components/normalizer.py")


def test_only_the_project_s_warnings_reach_the_log() -> None:
    """In a process of its own, as `make run` starts the service (pytest catches warnings itself)."""
    script = (
        "import warnings, bot.serve\n"
        "warnings.warn_explicit('third party notice', DeprecationWarning, "
        "'/v/lib/python3.10/site-packages/pkg_resources/__init__.py', 1)\n"
        "warnings.warn_explicit('own code warns', UserWarning, '/repo/bot/components/normalizer.py', 1)\n"
    )
    done = subprocess.run([sys.executable, "-W", "always", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=False)
    assert "own code warns" in done.stderr and "third party notice" not in done.stderr
