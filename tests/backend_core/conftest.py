"""Shared fixtures of the backend_core tests: paths, the engine, seeded databases and a served API.

Every database test runs on SQLite and, where PostgreSQL is available, on a
throw-away PostgreSQL cluster too (``db_backend`` is parametrized). PostgreSQL is
used when CORE_TEST_POSTGRES=1 (CI) or when ``pg_ctl`` is found under
/usr/lib/postgresql/*/bin; with CORE_TEST_POSTGRES=1 and no PostgreSQL the
tests fail rather than skip. The demo data is seeded once per backend into a
template, and each test (or module) gets its own copy of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend_core.billing.engine import BillingEngine
from backend_core.core.clock import Clock
from backend_core.db import make_engine, make_session_factory
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.schema import upgrade_to_head
from backend_core.seed import seed
from backend_core.services.context import CoreContext
from backend_core.services.rules import load_rules
from scripts.serving import ServedApi
from tests.postgres import BACKENDS, PostgresCluster
from tests.postgres import pg_admin as _pg_admin

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_NOW = datetime(2026, 11, 20, 9, 30)  # the demo data is seeded at this moment
TEST_NOW = datetime(2026, 11, 20, 15, 0)  # and the tests look at it a few hours later
GENERATED_CUSTOMERS = 6


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_spec() -> Path:
    """The project's read-only specs, next to the clone; tests comparing copies skip without them."""
    spec = REPO_ROOT.parent / "shared" / "spec"
    if not spec.is_dir():
        pytest.skip("../shared/spec is not present next to this clone")
    return spec


@pytest.fixture(scope="session")
def engine() -> BillingEngine:
    return BillingEngine()


# -- databases ----------------------------------------------------------------------------


@dataclass
class Database:
    """One database the tests may change freely."""

    backend: str
    url: str
    engine: Engine
    factory: sessionmaker[Session]

    def gateway(self, clock: Clock | None = None) -> EmbeddedGateway:
        """The core on this database at TEST_NOW, with service_rules.yml's agent hours whatever AGENT_HOURS says."""
        context = CoreContext(clock=clock or Clock(fixed=TEST_NOW), agent_hours=load_rules().agent_hours)
        return EmbeddedGateway(self.factory, context)


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Copier:
    """Makes databases: empty ones, and copies of the seeded template."""

    def __init__(self, backend: str, workdir: Path, cluster: PostgresCluster | None) -> None:
        self.backend, self.workdir, self.cluster = backend, workdir, cluster
        self.count = 0
        self.template: str | None = None

    def _name(self) -> str:
        self.count += 1
        return f"core_test_{self.count}"

    def empty_url(self) -> str:
        name = self._name()
        if self.cluster is None:
            return f"sqlite:///{self.workdir / (name + '.db')}"
        _pg_admin(self.cluster, f"CREATE DATABASE {name}")
        return self.cluster.url(name)

    def seeded_template(self) -> str:
        if self.template is None:
            url = self.empty_url()
            upgrade_to_head(url)
            engine = make_engine(url)
            seed(make_session_factory(engine), SEED_NOW, customers=GENERATED_CUSTOMERS)
            if self.cluster is None:
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.template = url
        return self.template

    def copy(self) -> Database:
        template = self.seeded_template()
        if self.cluster is None:
            name = self._name()
            target = self.workdir / f"{name}.db"
            shutil.copyfile(template.removeprefix("sqlite:///"), target)
            url = f"sqlite:///{target}"
        else:
            name = self._name()
            _pg_admin(self.cluster, f"CREATE DATABASE {name} TEMPLATE {template.rsplit('/', 1)[1]}")
            url = self.cluster.url(name)
        engine = make_engine(url)
        return Database(self.backend, url, engine, make_session_factory(engine))


@pytest.fixture(scope="session")
def copier(db_backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Copier:
    cluster = request.getfixturevalue("postgres") if db_backend == "postgres" else None
    return Copier(db_backend, tmp_path_factory.mktemp(f"core-{db_backend}"), cluster)


@pytest.fixture
def fresh_db(copier: Copier) -> Iterator[Database]:
    """A private copy of the seeded demo database for one test."""
    db = copier.copy()
    yield db
    db.engine.dispose()


@pytest.fixture(scope="module")
def module_db(copier: Copier) -> Iterator[Database]:
    """A copy of the seeded demo database shared by one module's tests (which must not depend on each other)."""
    db = copier.copy()
    yield db
    db.engine.dispose()


# -- the API served for real ---------------------------------------------------------------


@pytest.fixture(scope="session")
def test_now() -> datetime:
    """The fixed "now" of every database test's gateway."""
    return TEST_NOW


@pytest.fixture(scope="session")
def serve_api() -> type[ServedApi]:
    """``with serve_api(app) as served: served.base_url`` runs the app under uvicorn on a free port."""
    return ServedApi
