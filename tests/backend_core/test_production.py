"""POWERDESK_ENV=production: the billing core refuses the published service token with one
line naming the variable, and exit status 78 (the respawn wrapper does not retry it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backend_core.api.main import create_app
from backend_core.core.config import CoreSettings
from backend_core.core.production import EX_CONFIG, refuse_published_defaults
from scripts.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def start_core(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The core as the Procfile starts it; a refused start returns, an accepted one would
    serve (the timeout then fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "uvicorn", "backend_core.api.main:app", "--port", str(free_port())],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_core_refuses_the_published_token_in_production() -> None:
    result = start_core({"POWERDESK_ENV": "production"})
    assert result.returncode == EX_CONFIG
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "set CORE_SERVICE_TOKEN" in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_its_own_token_passes_and_development_needs_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'core.db'}"
    monkeypatch.setenv("POWERDESK_ENV", "production")
    create_app(CoreSettings(database_url=database, service_token="a-token-of-our-own"))  # no SystemExit
    with pytest.raises(SystemExit) as refused:
        create_app(CoreSettings(database_url=database))
    assert refused.value.code == EX_CONFIG
    monkeypatch.delenv("POWERDESK_ENV")
    create_app(CoreSettings(database_url=database))  # the demo as before: no SystemExit


def test_an_unknown_environment_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERDESK_ENV", "prod")
    with pytest.raises(SystemExit) as refused:
        refuse_published_defaults("billing core", [])
    assert refused.value.code == EX_CONFIG
    assert capsys.readouterr().err == "error: POWERDESK_ENV is 'prod'; set it to development or production\n"
