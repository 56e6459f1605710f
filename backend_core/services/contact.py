"""Changing the registered mobile: only for an account verified in the same conversation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend_core.errors import CoreError, InvalidInput
from backend_core.gateway.interfaces import AccountSummary
from backend_core.services.accounts import account_summary
from backend_core.services.context import CoreContext
from backend_core.services.identity import is_verified
from backend_core.services.lookup import load_account
from backend_core.services.subscriptions import MOBILE
from backend_core.services.work_orders import create_work_order


def update_contact_phone(
    session: Session, ctx: CoreContext, account_no: str, new_phone: str, session_id: str
) -> AccountSummary:
    account = load_account(session, account_no)
    if not is_verified(session, account.account_no, session_id):
        raise CoreError("not_verified", "修改联系电话前需要先完成身份验证", 403)
    new_phone = (new_phone or "").strip()
    if not MOBILE.match(new_phone):
        raise InvalidInput("bad_phone", "新的联系电话应为11位手机号")
    old_phone = account.customer.phone
    if new_phone != old_phone:
        account.customer.phone = new_phone
        create_work_order(
            session,
            ctx,
            "update_contact",
            {"old_phone": old_phone, "new_phone": new_phone, "session_id": session_id},
            idempotency_key=f"update_contact:{account.account_no}:{session_id}:{new_phone}",
            account_no=account.account_no,
            contact_phone=new_phone,
            state="completed",
        )
    return account_summary(session, ctx, account.account_no)
