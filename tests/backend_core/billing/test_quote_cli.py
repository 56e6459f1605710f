"""The quote CLI as a user runs it: JSON in on stdin, JSON out, exit 2 and one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run_quote(repo_root: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend_core.billing.quote"],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=repo_root,
        timeout=60,
    )


def test_two_part_case_prints_total_lines_and_power_factor(repo_root: Path) -> None:
    case = {
        "tariff": "large_industrial_two_part",
        "period": "2026-03",
        "max_demand_kw": 420,
        "kwh_by_period": {"peak": 61000, "flat": 52000, "valley": 47000},
        "kvarh": 63000,
    }
    proc = run_quote(repo_root, json.dumps(case))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["total"], out["power_factor"], out["pf_adjust_pct"]) == ("116099.99", "0.93", "-0.45")
    assert [line["code"] for line in out["lines"]] == ["demand", "peak", "flat", "valley", "pf_adjust"]


BAD_INPUTS = {
    "unknown_tariff": '{"tariff": "residential_flat", "period": "2026-03", "kwh": 10}',
    "negative_kwh": '{"tariff": "residential_tiered", "period": "2026-03", "kwh": -5}',
    "tou_mismatch": '{"tariff": "residential_tiered", "period": "2026-09", "kwh": 380,'
    ' "time_of_use": {"peak_kwh": 200, "valley_kwh": 170}}',
    "bad_period": '{"tariff": "residential_tiered", "period": "2026-13", "kwh": 10}',
    "malformed_json": '{"tariff": "residential_tiered", "period": ',
}


@pytest.mark.parametrize("code", list(BAD_INPUTS))
def test_bad_input_exits_2_with_one_clear_line(repo_root: Path, code: str) -> None:
    proc = run_quote(repo_root, BAD_INPUTS[code])
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {code}: ")
    assert "Traceback" not in proc.stderr
