"""Benchmark of the core at utility scale: ``python -m backend_core.bench [--customers 100000]``.

1. seeds N customers with a year of AMI daily reads and the month-end register
   reads derived from them (bulk inserts into a separate database);
2. runs one month's bill run (``services.bill_run``: batch reads, engine in
   memory, bulk insert) and reports bills per second;
3. times in-process account-summary lookups (the first call of most
   conversations) and reports p50 / p95.

Results are printed and written to reports/core_bench.json and .md. Timing
goals (≥ 5,000 bills/s on SQLite, ≤ 5 ms p95 lookup) are reported, never
asserted in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy
from sqlalchemy import Connection, Engine, insert

from backend_core import models
from backend_core.billing.periods import Period
from backend_core.core.clock import Clock
from backend_core.core.config import REPO_ROOT, resolve_sqlite_path
from backend_core.db import make_engine, make_session_factory, transaction
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.schema import upgrade_to_head
from backend_core.seed.writer import ensure_tariffs
from backend_core.services.bill_run import run_bills
from backend_core.services.context import CoreContext

DEFAULT_URL = "sqlite:///var/core_bench.db"
FIRST_DAY = date(2025, 11, 1)
DAYS = 365
BILL_PERIOD = Period(2026, 10)
CHUNK = 2000  # customers per insert batch
GOALS = {"bills_per_s": 5000, "lookup_p95_ms": 5.0}


def _rows_sql(conn: Connection, table: Any, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Plain DB-API executemany on SQLite (no per-value processing); SQLAlchemy insert elsewhere."""
    if conn.dialect.name == "sqlite":
        placeholders = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", list(rows))
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _fmt_datetime(value: datetime, dialect: str) -> Any:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else value


def _fmt_date(value: date, dialect: str) -> Any:
    return value.isoformat() if dialect == "sqlite" else value


@dataclass(frozen=True)
class YearOfDays:
    """The benchmark's reading year, pre-formatted once for the inserts."""

    day_values: list[Any]
    month_of_day: np.ndarray
    periods: list[Period]
    season: np.ndarray  # relative demand per day: summer air-conditioning, a smaller winter bump
    created: Any

    @classmethod
    def build(cls, dialect: str) -> YearOfDays:
        days = [FIRST_DAY + timedelta(days=d) for d in range(DAYS)]
        doy = np.array([d.timetuple().tm_yday for d in days])
        return cls(
            day_values=[_fmt_date(d, dialect) for d in days],
            month_of_day=np.array([(d.year - FIRST_DAY.year) * 12 + d.month - FIRST_DAY.month for d in days]),
            periods=[Period.of(FIRST_DAY).shift(m) for m in range(12)],
            season=1.0 + 0.45 * np.exp(-(((doy - 210) / 35.0) ** 2)) + 0.15 * np.exp(-(((doy - 15) / 25.0) ** 2)),
            created=_fmt_datetime(datetime(2025, 1, 1), dialect),
        )


def seed_population(engine: Engine, customers: int, seed: int = 7) -> dict[str, int]:
    """Customers, accounts, meters, 365 daily reads each and 12 month-end reads each.

    One transaction per batch of customers, so the write-ahead log stays small.
    """
    rng, py_rng = np.random.default_rng(seed), random.Random(seed)
    year = YearOfDays.build(engine.dialect.name)
    for start in range(0, customers, CHUNK):
        with engine.begin() as conn:
            _seed_batch(conn, range(start + 1, min(start + CHUNK, customers) + 1), rng, py_rng, year)
    return {"customers": customers, "daily_reads": customers * DAYS, "monthly_reads": customers * 12}


def _seed_batch(conn: Connection, ids: range, rng: np.random.Generator, py_rng: random.Random, year: YearOfDays) -> None:
    dialect, n = conn.dialect.name, len(ids)
    classes = rng.choice(3, size=n, p=[0.9, 0.08, 0.02])  # residential, commercial, large industrial
    base = np.where(
        classes == 0, rng.uniform(3, 14, n), np.where(classes == 1, rng.uniform(40, 200, n), rng.uniform(4000, 15000, n))
    )
    daily = np.round(base[:, None] * year.season[None, :] * rng.uniform(0.8, 1.2, (n, DAYS)), 3)
    tou = (classes == 0) & (rng.random(n) < 0.1)
    peak_share = rng.uniform(0.5, 0.75, n)
    accounts = [f"{3400000000 + i:010d}" for i in ids]
    tariff = ("residential_tiered", "commercial_single_part", "large_industrial_two_part")
    klass = ("residential", "commercial", "large_industrial")
    opened, installed = _fmt_date(date(2015, 1, 1), dialect), _fmt_date(date(2019, 1, 1), dialect)
    _rows_sql(conn, models.Customer.__table__, ("id", "name", "phone", "created_at"),
              ((i, f"客户{i}", f"13{py_rng.randint(100000000, 999999999)}", year.created) for i in ids))
    _rows_sql(
        conn,
        models.ServicePoint.__table__,
        ("id", "address", "district", "area_type", "feeder", "transformer_area"),
        ((i, f"示例市城东区平阳路{i % 500 + 1}号", "城东区", "urban", f"城东10kV{i % 40}线", f"台区{i % 900}") for i in ids),
    )
    _rows_sql(
        conn, models.Account.__table__,
        ("account_no", "customer_id", "service_point_id", "customer_class", "tariff_code", "billing", "time_of_use",
         "persons", "low_income", "large_household_approved", "status", "opened_on"),
        ((accounts[k], i, i, klass[classes[k]], tariff[classes[k]], "postpaid", bool(tou[k]), 3 if classes[k] == 0 else None,
          False, False, "active", opened) for k, i in enumerate(ids)),
    )
    _rows_sql(
        conn,
        models.Meter.__table__,
        ("id", "meter_no", "account_no", "phase", "prepaid", "state", "state_since", "installed_on"),
        ((i, f"M{accounts[k]}", accounts[k], "single", False, "online", year.created, installed) for k, i in enumerate(ids)),
    )
    _rows_sql(conn, models.DailyRead.__table__, ("meter_id", "day", "kwh"),
              ((i, year.day_values[d], value) for k, i in enumerate(ids) for d, value in enumerate(daily[k].tolist())))
    monthly = np.stack([daily[:, year.month_of_day == m].sum(axis=1) for m in range(12)], axis=1).round(3)
    _rows_sql(conn, models.MonthlyRead.__table__,
              ("meter_id", "period", "read_on", "register_kwh", "kwh", "kwh_critical_peak", "kwh_peak", "kwh_flat",
               "kwh_valley", "max_demand_kw", "kvarh"),
              _monthly_rows(ids, classes, monthly, peak_share, year.periods, dialect))


def _monthly_rows(ids: range, classes: np.ndarray, monthly: np.ndarray, peak_share: np.ndarray,
                  periods: list[Period], dialect: str) -> Iterable[tuple[Any, ...]]:
    for k, meter_id in enumerate(ids):
        register = 1000.0
        for m, period in enumerate(periods):
            row: tuple[float | None, ...]  # critical, peak, flat, valley or rest, demand, kvarh
            kwh = float(monthly[k, m])
            register = round(register + kwh, 3)
            peak = round(kwh * float(peak_share[k]), 3)
            if classes[k] == 0:
                row = (None, peak, None, round(kwh - peak, 3), None, None)
            else:
                critical = round(kwh * 0.08, 3) if period.month in (7, 8) else None
                peak = round(kwh * 0.4, 3)
                flat = round(kwh * 0.3, 3)
                rest = round(kwh - peak - flat - (critical or 0), 3)
                demand = round(kwh / 400, 0) if classes[k] == 2 else None
                kvarh = round(kwh * 0.45, 0) if classes[k] == 2 else None
                row = (critical, peak, flat, rest, demand, kvarh)
            yield (meter_id, str(period), _fmt_date(period.last_day, dialect), register, kwh, *row)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(customers: int, url: str, lookups: int) -> dict[str, Any]:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ctx = CoreContext(clock=Clock(fixed=datetime(2026, 11, 20, 10, 0)))
    with transaction(factory) as session:
        ensure_tariffs(session)

    started = time.perf_counter()
    counts = seed_population(engine, customers)
    seed_s = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction(factory) as session:
        result = run_bills(session, ctx.engine, BILL_PERIOD)
    bill_s, bill_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started

    gateway = EmbeddedGateway(factory, ctx)
    rng = random.Random(11)
    accounts = [f"{3400000000 + rng.randint(1, customers):010d}" for _ in range(lookups + 100)]
    for account_no in accounts[:100]:
        gateway.account_summary(account_no)
    timings, cpu_timings = [], []
    for account_no in accounts[100:]:
        t0, c0 = time.perf_counter(), time.process_time()
        gateway.account_summary(account_no)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((time.process_time() - c0) * 1000)
    engine.dispose()
    size = Path(url.removeprefix("sqlite:///")).stat().st_size if url.startswith("sqlite:///") else None
    return {
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "database": url.split("://")[0] if not url.startswith("sqlite") else "sqlite",
        "database_bytes": size,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlalchemy": sqlalchemy.__version__,
                    "platform": platform.platform(), "load_average_1min_at_end": round(os.getloadavg()[0], 2)},
        "customers": counts["customers"],
        "seeding": {"seconds": round(seed_s, 1), "daily_reads": counts["daily_reads"], "monthly_reads": counts["monthly_reads"],
                    "rows_per_s": round((counts["daily_reads"] + counts["monthly_reads"]) / seed_s)},
        "bill_run": {"period": result.period, "bills": result.bills, "rejected": len(result.rejected),
                     "seconds": round(bill_s, 2), "bills_per_s": round(result.bills / bill_s),
                     "cpu_seconds": round(bill_cpu_s, 2), "bills_per_cpu_s": round(result.bills / bill_cpu_s),
                     "total_yuan": str(result.total)},
        "account_summary_lookup": {"calls": len(timings), "p50_ms": round(statistics.median(timings), 2),
                                   "p95_ms": round(percentile(timings, 95), 2),
                                   "cpu_p50_ms": round(statistics.median(cpu_timings), 2),
                                   "cpu_p95_ms": round(percentile(cpu_timings, 95), 2)},
        "goals": GOALS,
    }


def markdown(report: dict[str, Any]) -> str:
    seeding, bills, lookup = report["seeding"], report["bill_run"], report["account_summary_lookup"]
    ok = lambda good: "met" if good else "missed"  # noqa: E731
    return "\n".join([
        "# backend_core benchmark",
        "",
        f"Measured {report['measured_at']} on {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"SQLAlchemy {report['machine']['sqlalchemy']}, {report['database']}"
        + (f" ({report['database_bytes'] / 1e9:.2f} GB)" if report["database_bytes"] else "")
        + f"; 1-minute load average {report['machine']['load_average_1min_at_end']} at the end"
        " (wall-clock figures suffer when other work shares the CPUs; CPU-time figures much less).",
        "Command: `python -m backend_core.bench --customers " + str(report["customers"]) + "`",
        "",
        "| measure | result | goal |",
        "|---|---|---|",
        (f"| customers seeded | {report['customers']:,} ({seeding['daily_reads']:,} daily reads, "
         f"{seeding['monthly_reads']:,} month-end reads) | |"),
        f"| seeding time | {seeding['seconds']} s ({seeding['rows_per_s']:,} read rows/s) | |",
        (f"| bill run {bills['period']} | {bills['bills']:,} bills in {bills['seconds']} s "
         f"= **{bills['bills_per_s']:,} bills/s** "
         f"(CPU time {bills['cpu_seconds']} s = {bills['bills_per_cpu_s']:,} bills per CPU-second) "
         f"| ≥ {GOALS['bills_per_s']:,} ({ok(bills['bills_per_s'] >= GOALS['bills_per_s'])}) |"),
        (f"| account summary, in-process | p50 **{lookup['p50_ms']} ms**, p95 **{lookup['p95_ms']} ms** "
         f"(CPU p50 {lookup['cpu_p50_ms']} ms, p95 {lookup['cpu_p95_ms']} ms; {lookup['calls']:,} calls) "
         f"| p95 ≤ {GOALS['lookup_p95_ms']} ms ({ok(lookup['p95_ms'] <= GOALS['lookup_p95_ms'])}) |"),
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend_core.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a database to overwrite (default {DEFAULT_URL})")
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--report-dir", type=Path, default=REPO_ROOT / "reports")
    args = parser.parse_args(argv)
    if args.customers < 1 or args.lookups < 1:
        parser.error("--customers and --lookups must be ≥ 1")
    report = run(args.customers, resolve_sqlite_path(args.database_url), args.lookups)
    args.report_dir.mkdir(parents=True, exist_ok=True)
    (args.report_dir / "core_bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.report_dir / "core_bench.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
