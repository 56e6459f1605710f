"""Finding an account by 户号 (10 or 13 digits) and its billing meter, and the input
checks every service shares."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from backend_core import models
from backend_core.errors import InvalidInput, NotFound

ACCOUNT_NO = re.compile(r"^(\d{10}|\d{13})$")


def check_account_no(account_no: object) -> str:
    """Refuse anything that is not a 10- or 13-digit 户号 before touching the database."""
    text = str(account_no).strip() if account_no is not None else ""
    if not ACCOUNT_NO.match(text):
        raise InvalidInput("bad_account_no", f"户号应为10位或13位数字（收到 {len(text)} 位）")
    return text


def check_limit(limit: int, maximum: int) -> None:
    """Refuse a list length outside 1..maximum (a caller asking for 10,000 rows is a bug or an attack)."""
    if not 1 <= limit <= maximum:
        raise InvalidInput("bad_limit", f"limit must be 1..{maximum}")


def load_account(session: Session, account_no: str) -> models.Account:
    account = (
        session.scalars(
            select(models.Account)
            .where(models.Account.account_no == check_account_no(account_no))
            .options(
                joinedload(models.Account.customer),
                joinedload(models.Account.service_point),
                joinedload(models.Account.meters),
            )
        )
        .unique()
        .one_or_none()
    )
    if account is None:
        raise NotFound(f"未找到户号 {account_no} 的用电账户")
    return account


def billing_meter(account: models.Account) -> models.Meter:
    """The meter the account is billed on (the most recently installed one)."""
    if not account.meters:
        raise NotFound(f"户号 {account.account_no} 没有在用电表")
    return max(account.meters, key=lambda m: (m.installed_on, m.id))
