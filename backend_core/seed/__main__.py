"""``python -m backend_core.seed [--customers N] [--database-url URL] [--today YYYY-MM-DD]``.

Brings the database to the latest schema, then seeds it (idempotent; see
:mod:`backend_core.seed`). ``--today`` fixes the seeding day (the planned
outage is placed relative to it); the time of day stays the real one.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import date

from backend_core.core.clock import Clock
from backend_core.core.config import CoreSettings, resolve_sqlite_path
from backend_core.db import make_engine, make_session_factory
from backend_core.masking import install_log_masking
from backend_core.schema import upgrade_to_head
from backend_core.seed import seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend_core.seed", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100, help="generated customers besides the demo ones (default 100)")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: CORE_DATABASE_URL)")
    parser.add_argument("--today", type=date.fromisoformat, help="seeding day YYYY-MM-DD (default: today, or CORE_TODAY)")
    args = parser.parse_args(argv)
    if args.customers < 0:
        parser.error("--customers must be ≥ 0")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    install_log_masking()
    settings = CoreSettings()
    url = resolve_sqlite_path(args.database_url) if args.database_url else settings.database_url
    started = time.perf_counter()
    upgrade_to_head(url)
    now = Clock(settings.timezone, today=args.today or settings.today).now()
    engine = make_engine(url)
    try:
        report = seed(make_session_factory(engine), now, customers=args.customers)
    finally:
        engine.dispose()
    print(
        f"seeded {report.demo_customers} demo + {report.generated_created} new generated customers "
        f"({report.generated_existing} already there), {report.bills_issued} bills issued, "
        f"as of {now:%Y-%m-%d %H:%M}, in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
