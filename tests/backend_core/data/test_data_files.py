"""The core's packaged copies of the specs are the specs (when ../shared is there to compare)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml


@pytest.mark.parametrize("name", ["tariffs.yml", "demo_customers.yml", "service_rules.yml"])
def test_packaged_copy_equals_spec(shared_spec: Path, repo_root: Path, name: str) -> None:
    packaged = yaml.safe_load((repo_root / "backend_core" / "data" / name).read_text(encoding="utf-8"))
    assert packaged == yaml.safe_load((shared_spec / name).read_text(encoding="utf-8"))
