"""The hub's safety settings: production refuses published secrets; every page carries a
strict Content-Security-Policy (and has nothing inline it would block), every response
nosniff and a Referrer-Policy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend_core.core.production import EX_CONFIG
from integrations.main import create_app
from integrations.security import content_security_policy
from scripts.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "integrations" / "static"


# ----------------------------------------------------------------------------- production
def test_the_hub_refuses_the_demo_agent_password_in_production() -> None:
    """As the Procfile starts it: one line naming the variable, status 78, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "integrations.main:app", "--port", str(free_port())],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "POWERDESK_ENV": "production"},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == EX_CONFIG
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "set CONSOLE_DEMO_PASSWORD" in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(("env", "refused"), [
    ({}, None),  # development: the demo as documented
    ({"POWERDESK_ENV": "production", "CONSOLE_DEMO_PASSWORD": "demo-agent-01"}, "CONSOLE_DEMO_PASSWORD"),
    ({"POWERDESK_ENV": "production", "CONSOLE_DEMO_PASSWORD": ""}, "CONSOLE_DEMO_PASSWORD"),
    ({"POWERDESK_ENV": "production", "CONSOLE_DEMO_PASSWORD": "our-own"}, None),
    ({"POWERDESK_ENV": "production", "CONSOLE_DEMO_PASSWORD": "our-own", "CORE_GATEWAY": "http"}, "CORE_SERVICE_TOKEN"),
    ({"POWERDESK_ENV": "production", "CONSOLE_DEMO_PASSWORD": "our-own", "CORE_GATEWAY": "http",
      "CORE_SERVICE_TOKEN": "our-token"}, None),
])
def test_production_refuses_each_published_secret_the_hub_holds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], refused: str | None
) -> None:
    for name in ("POWERDESK_ENV", "CONSOLE_DEMO_PASSWORD", "CORE_GATEWAY", "CORE_SERVICE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if refused is None:
        create_app()  # no SystemExit
        return
    with pytest.raises(SystemExit) as stopped:
        create_app()
    assert stopped.value.code == EX_CONFIG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"set {refused} " in err


# ----------------------------------------------------------------------------- headers
@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())  # pages and static files need no database: no lifespan


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/console/", "/static/widget.js", "/static/site.css", "/static/console/console.js"])
def test_every_page_and_static_file_carries_a_strict_policy(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "hub.example.cn:8000"})
    assert response.status_code == 200
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "ws://hub.example.cn:8000", "wss://hub.example.cn:8000"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_api_answers_carry_nosniff_and_the_docs_keep_their_own_page(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff" and health.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in client.get("/docs").headers  # Swagger UI: inline script, CDN


def test_a_forged_host_header_cannot_write_the_policy() -> None:
    policy = content_security_policy("evil.cn; script-src *")
    assert "evil" not in policy and directives(policy)["connect-src"] == ["'self'"]
    assert directives(content_security_policy("[::1]:8000"))["connect-src"][1] == "ws://[::1]:8000"


@pytest.mark.parametrize("page", ["index.html", "console/index.html"])
def test_the_pages_have_nothing_inline_the_policy_would_block(page: str) -> None:
    html = (STATIC / page).read_text(encoding="utf-8")
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\s(?:style|on[a-z]+)\s*=", html), "inline style or event handler"
    assert not re.search(r"(?:src|href)\s*=\s*\"(?:https?:)?//", html), "a resource from another origin"
