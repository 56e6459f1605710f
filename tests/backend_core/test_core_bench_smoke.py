"""The benchmark runs end to end on a tiny population (figures are reported, never asserted)."""

from __future__ import annotations

from pathlib import Path

from backend_core.bench import markdown, run


def test_bench_bills_every_customer_and_reports(tmp_path: Path) -> None:
    report = run(40, f"sqlite:///{tmp_path / 'bench.db'}", lookups=10)
    assert report["customers"] == 40 and report["bill_run"]["bills"] == 40
    assert report["seeding"]["daily_reads"] == 40 * 365
    assert "bills/s" in markdown(report)
