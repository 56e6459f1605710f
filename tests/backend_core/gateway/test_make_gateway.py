"""make_gateway picks the implementation from settings."""

from __future__ import annotations

from backend_core.core.config import CoreSettings
from backend_core.gateway import make_gateway
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.http import HttpGateway


def test_embedded_by_default_on_the_configured_database(module_db) -> None:
    gateway = make_gateway(CoreSettings(database_url=module_db.url))
    assert isinstance(gateway, EmbeddedGateway)
    assert gateway.account_summary("3300067890").customer_class == "commercial"


def test_http_when_asked() -> None:
    gateway = make_gateway(CoreSettings(gateway="http", base_url="http://127.0.0.1:9", service_token="t"))
    assert isinstance(gateway, HttpGateway)
    gateway.close()


def test_relative_sqlite_paths_resolve_against_the_repository(repo_root) -> None:
    assert CoreSettings(database_url="sqlite:///var/core.db").database_url == f"sqlite:///{repo_root / 'var' / 'core.db'}"
