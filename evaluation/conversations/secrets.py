"""What counts as a demo account's data (FORMAT.md: nothing of it before verification).

Read from the seeded core: the holder's name, phone (whole and masked), street address,
and the money figures of its bills, arrears and prepaid balance. Small or round
amounts (30.00, a fee anyone may quote) are left out: they prove nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from sqlalchemy import select, update

from backend_core import models
from backend_core.core.clock import Clock
from backend_core.db import make_engine, make_session_factory
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import CoreError
from backend_core.services.context import CoreContext
from scripts.running import ROOT

DEMO_SPEC = ROOT.parent / "shared" / "spec" / "demo_customers.yml"
FALLBACK_SPEC = ROOT / "backend_core" / "data" / "demo_customers.yml"
_STREET = re.compile(r"[\u4e00-\u9fff]{1,6}(?:路|街|村|大道|巷)\d+(?:号|组)?")


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):.2f}"


def _telling(amount: str) -> bool:
    """An amount specific enough to identify an account's figures."""
    value = Decimal(amount)
    return value >= 10 and value != value.to_integral_value()


def demo_customers() -> list[dict]:
    spec_path = DEMO_SPEC if DEMO_SPEC.exists() else FALLBACK_SPEC
    return yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))["customers"]


def restore_demo_phones(core_url: str) -> None:
    """Put back the registered phones a conversation may have changed (update_contact), so
    that every conversation starts in the world FORMAT.md describes."""
    engine = make_engine(core_url)
    try:
        with engine.begin() as connection:
            for customer in demo_customers():
                account = connection.execute(
                    select(models.Account.customer_id).where(models.Account.account_no == customer["account_no"])
                ).scalar()
                connection.execute(
                    update(models.Customer).where(models.Customer.id == account).values(phone=customer["phone"])
                )
    finally:
        engine.dispose()


def account_secrets(core_url: str, day: str) -> dict[str, set[str]]:
    """Account number -> the strings that would disclose its data."""
    customers = demo_customers()
    gateway = EmbeddedGateway(
        make_session_factory(make_engine(core_url)),
        CoreContext(clock=Clock(fixed=datetime.fromisoformat(f"{day}T10:00:00"))),
    )
    secrets: dict[str, set[str]] = {}
    for customer in customers:
        account = customer["account_no"]
        phone = customer["phone"]
        found = {customer["name"], phone, f"{phone[:3]}****{phone[-4:]}"}
        found |= set(_STREET.findall(customer["address"]))
        bills = gateway.list_bills(account, limit=24)
        amounts = {_money(b.total) for b in bills} | {_money(line.amount) for b in bills for line in b.lines}
        arrears = gateway.get_arrears(account)
        amounts |= {_money(arrears.total), _money(arrears.late_fee), _money(arrears.principal)}
        try:
            amounts.add(_money(gateway.get_prepaid_status(account).balance))
        except CoreError:
            pass
        found |= {a for a in amounts if _telling(a)}
        secrets[account] = found
    return secrets
