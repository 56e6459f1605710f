"""Schemathesis against the hub's and the core's OpenAPI documents, in-process.

Every operation of both documents (the websockets are not in them) gets requests
generated from its schema, valid and invalid ones, with a logged-in agent's cookie and
CSRF token and a web chat token (hub) or the service token (core). Each answer must not
be a server error, must have a status code its operation documents, a content type it
documents and a body that matches the documented schema of that status. Examples are
bounded and derandomized, so a run takes the same requests and the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from backend_core.api import main as core_main
from backend_core.api.main import create_app as create_core_app
from backend_core.core.config import CoreSettings
from integrations import main as hub_main
from integrations.auth.agents import COOKIE, CSRF_HEADER
from integrations.core.config import HubSettings
from integrations.main import create_app as create_hub_app
from scripts.wechat_sim import APP_ID, APP_SECRET
from scripts.wechat_sim import TOKEN as WECHAT_TOKEN
from tests.backend_core.conftest import Copier, Database
from tests.integrations.conftest import PASSWORD, FakeRasa
from tests.robustness.conftest import echo
from tests.robustness.corpus import CORE_TOKEN

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))



def document(app: Any) -> Any:
    """The OpenAPI document of ``app`` (the module's own instance, never started), for the
    tests to call another instance of the same app that they set up (``app=`` per call).
    schemathesis' fixture-loaded schemas do not run under pytest 9, so the document is
    read at import."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app  # in-process calls (the ASGI transport)
    return schema


# Logging out would end the session every other console operation's examples use.
hub_api = document(hub_main.app).exclude(path="/api/console/logout")
core_api = document(core_main.app)


@pytest.fixture(scope="module")
def openapi_core_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Copier("sqlite", tmp_path_factory.mktemp("openapi-core"), None).copy()
    yield db
    db.engine.dispose()


@pytest.fixture(scope="module")
def hub_app(openapi_core_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_hub_app()
    app.state.settings = HubSettings(
        database_url=f"sqlite:///{tmp_path_factory.mktemp('openapi-hub') / 'hub.db'}", supervise_every_s=3600,
        rate_burst=1_000_000, rate_per_s=1000.0, wechat_token=WECHAT_TOKEN, wechat_app_id=APP_ID,
        wechat_app_secret=APP_SECRET, wechat_api_base_url="http://127.0.0.1:9/cgi-bin/",
    )  # no voice webhook secret: the generated jambonz payloads reach the call flow
    app.state.rasa_transport = httpx.MockTransport(FakeRasa(echo).handle)
    gateway = openapi_core_db.gateway()
    app.state.core = lambda: gateway
    yield app
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def hub_headers(hub_app: Any) -> dict[str, str]:
    """A logged-in agent's cookie and CSRF token, and a web chat session's token."""
    with asgi.get_client(hub_app) as client:
        login = client.post("/api/console/login", json={"username": "agent01", "password": PASSWORD})
        assert login.status_code == 200, login.text
        chat = client.post("/api/chat/sessions", json={})
        assert chat.status_code == 201, chat.text
    return {"Cookie": f"{COOKIE}={login.cookies[COOKIE]}", CSRF_HEADER: login.json()["csrf_token"],
            "Authorization": f"Bearer {chat.json()['token']}"}


@pytest.fixture(scope="module")
def core_app(openapi_core_db: Database) -> Any:
    return create_core_app(CoreSettings(database_url=openapi_core_db.url, service_token=CORE_TOKEN),
                           gateway=openapi_core_db.gateway())


@hub_api.parametrize()
@BOUNDED
def test_hub_conforms_to_its_openapi(case: Any, hub_app: Any, hub_headers: dict[str, str]) -> None:
    case.call_and_validate(app=hub_app, headers=hub_headers, checks=CHECKS)


@core_api.parametrize()
@BOUNDED
def test_core_conforms_to_its_openapi(case: Any, core_app: Any) -> None:
    case.call_and_validate(app=core_app, headers={"Authorization": f"Bearer {CORE_TOKEN}"}, checks=CHECKS)
