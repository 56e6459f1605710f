"""The Alembic migrations build exactly the schema the models declare, on every backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from backend_core.db import make_engine
from backend_core.models import Base
from backend_core.schema import upgrade_to_head


def test_models_equal_migrations(copier) -> None:
    url = copier.empty_url()
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_alembic_command_line_upgrades_a_new_database(repo_root: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("alembic")), "-c", "backend_core/alembic.ini", "upgrade", "head"],
        check=False,
        cwd=repo_root,
        env={"CORE_DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
