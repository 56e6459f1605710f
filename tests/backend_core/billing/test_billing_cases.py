"""Every worked case of billing_cases.yml, to the fen, through the public ``quote``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from backend_core.billing.quote import quote

CASES_FILE = Path(__file__).with_name("billing_cases.yml")
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def test_local_copy_of_cases_matches_the_spec(shared_spec: Path) -> None:
    assert yaml.safe_load((shared_spec / "billing_cases.yml").read_text(encoding="utf-8")) == CASES


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_reproduced_exactly(case: dict) -> None:
    given = {k: v for k, v in case.items() if k != "expected"}
    result = quote(given)
    for key, expected in case["expected"].items():
        assert result[key] == expected, key
    assert sum(Decimal(line["amount"]) for line in result["lines"]) == Decimal(result["total"])
