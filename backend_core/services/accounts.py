"""The masked account summary every conversation starts from."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend_core import models
from backend_core.gateway.interfaces import AccountSummary
from backend_core.masking import mask_address, mask_name, mask_phone
from backend_core.services.arrears import arrears_of
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account
from backend_core.services.prepaid import refresh_meter


def masked_name(account: models.Account) -> str:
    """Natural persons' names are masked; an organisation's name is not personal information."""
    name = account.customer.name
    return mask_name(name) if account.customer_class == "residential" else name


def account_summary(session: Session, ctx: CoreContext, account_no: str) -> AccountSummary:
    account = load_account(session, account_no)
    refresh_meter(session, ctx, account)
    balance = session.get(models.PrepaidBalance, account.account_no) if account.billing == "prepaid" else None
    arrears = arrears_of(session, ctx, account, ctx.clock.today())
    return AccountSummary(
        account_no=account.account_no,
        name=masked_name(account),
        phone=mask_phone(account.customer.phone),
        address=mask_address(account.service_point.address),
        district=account.service_point.district,
        area_type=account.service_point.area_type,  # type: ignore[arg-type]
        customer_class=account.customer_class,  # type: ignore[arg-type]
        tariff=account.tariff_code,
        billing=account.billing,  # type: ignore[arg-type]
        time_of_use=account.time_of_use,
        low_income=account.low_income,
        large_household_approved=account.large_household_approved,
        meter_state=billing_meter(account).state,  # type: ignore[arg-type]
        arrears_total=arrears.total,
        prepaid_balance=balance.balance if balance else None,
    )
