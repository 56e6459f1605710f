"""Identity checks: 户号 plus the last 4 digits of the registered mobile, per conversation.

After ``identity_max_failures`` failed checks in one conversation (session) no
further attempt is accepted for ``identity_lock_minutes``; the count starts again
after the lock or after a success. A check against an account that does not
exist fails exactly like a wrong phone, so the answer never reveals which 户号
exist. Every attempt is stored, which is also the audit trail.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import Verification
from backend_core.services.context import CoreContext
from backend_core.services.lookup import ACCOUNT_NO

log = logging.getLogger(__name__)
LAST4 = re.compile(r"^\d{4}$")


def _check_session_id(session_id: str) -> str:
    if not session_id or len(session_id) > 100:
        raise InvalidInput("bad_session_id", "session_id must be 1..100 characters")
    return session_id


def lock_state(session: Session, ctx: CoreContext, session_id: str, now: datetime) -> tuple[int, datetime | None]:
    """(failures counted now, end of the current lock or None) for one conversation."""
    limit = ctx.rules.identity_max_failures
    lock = timedelta(minutes=ctx.rules.identity_lock_minutes)
    window_start = now - lock * (limit + 1) - timedelta(days=1)
    checks = session.execute(
        select(models.IdentityCheck.at, models.IdentityCheck.success)
        .where(models.IdentityCheck.session_id == session_id, models.IdentityCheck.at >= window_start)
        .order_by(models.IdentityCheck.at, models.IdentityCheck.id)
    ).all()
    failures, locked_until = 0, None
    for at, success in checks:
        if locked_until is not None and at >= locked_until:
            failures, locked_until = 0, None
        if success:
            failures = 0
        else:
            failures += 1
            if failures >= limit:
                locked_until = at + lock
    if locked_until is not None and now >= locked_until:
        return 0, None
    return failures, locked_until


def verify_identity(
    session: Session, ctx: CoreContext, account_no: str, phone_last4: str, session_id: str
) -> Verification:
    _check_session_id(session_id)
    now = ctx.clock.now()
    limit = ctx.rules.identity_max_failures
    failures, locked_until = lock_state(session, ctx, session_id, now)
    if locked_until is not None:
        return Verification(verified=False, reason="locked", attempts_left=0, locked_until=locked_until)
    account_no, phone_last4 = str(account_no).strip(), str(phone_last4).strip()
    if not ACCOUNT_NO.match(account_no) or not LAST4.match(phone_last4):
        return Verification(verified=False, reason="invalid_input", attempts_left=limit - failures)
    account = session.get(models.Account, account_no)
    success = account is not None and account.customer.phone.endswith(phone_last4)
    session.add(models.IdentityCheck(session_id=session_id, account_no=account_no, at=now, success=success))
    session.flush()
    if success:
        return Verification(verified=True, reason="ok", attempts_left=limit)
    failures += 1
    log.info("identity check failed (%d of %d) in session %s", failures, limit, session_id)
    if failures >= limit:
        until = now + timedelta(minutes=ctx.rules.identity_lock_minutes)
        return Verification(verified=False, reason="locked", attempts_left=0, locked_until=until)
    return Verification(verified=False, reason="mismatch", attempts_left=limit - failures)


def is_verified(session: Session, account_no: str, session_id: str) -> bool:
    return (
        session.scalar(
            select(models.IdentityCheck.id)
            .where(
                models.IdentityCheck.session_id == session_id,
                models.IdentityCheck.account_no == str(account_no).strip(),
                models.IdentityCheck.success.is_(True),
            )
            .limit(1)
        )
        is not None
    )
