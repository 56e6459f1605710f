"""The README's first screen stays true: every demo customer it lists verifies with the
numbers it gives, as the spec and the seeded database have them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backend_core.db import make_engine, make_session_factory
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.services.context import CoreContext

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "demo_customers.yml"
COPY = ROOT / "backend_core" / "data" / "demo_customers.yml"  # the core's copy of the spec
ROW = re.compile(r"^\|\s*(\d{10}|\d{13})\s*\|\s*([^|]+?)\s*\|\s*(\d{4})\s*\|", re.MULTILINE)


def readme_rows() -> list[tuple[str, str, str]]:
    rows = ROW.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert rows, "the README lists no demo customers"
    return rows


def spec_customers() -> dict[str, dict]:
    path = SPEC if SPEC.exists() else COPY
    return {c["account_no"]: c for c in yaml.safe_load(path.read_text(encoding="utf-8"))["customers"]}


def test_every_demo_customer_of_the_spec_is_in_the_readme_as_the_spec_has_it() -> None:
    customers = spec_customers()
    rows = readme_rows()
    assert {account for account, _, _ in rows} == set(customers)
    for account, holder, last4 in rows:
        assert holder == customers[account]["name"], account
        assert last4 == customers[account]["phone"][-4:], account


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedGateway:
    url = f"sqlite:///{tmp_path_factory.mktemp('readme') / 'core.db'}"
    subprocess.run([sys.executable, "-m", "backend_core.seed", "--customers", "0", "--database-url", url],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    return EmbeddedGateway(make_session_factory(make_engine(url)), CoreContext())


def test_every_readme_customer_verifies_in_the_seeded_database(seeded: EmbeddedGateway) -> None:
    for account, _, last4 in readme_rows():
        assert seeded.verify_identity(account, last4, session_id=f"readme-{account}").verified, account
