"""The agent's customer panel: one verified account seen from the billing core.

Built from the core gateway (the same contract the actions use), only for the account
the customer proved in this conversation; names, phones and addresses come masked from
the core, the account number is masked here. Amounts stay strings of yuan.
"""

from __future__ import annotations

import logging
from typing import Any

from backend_core.gateway.interfaces import CoreError, CoreGateway
from backend_core.masking import mask_account

log = logging.getLogger(__name__)
BILLS = 12


def customer_panel(core: CoreGateway, account_no: str) -> dict[str, Any] | None:
    """The panel of docs/hub_api.md (Customer360), or None when the core cannot say."""
    try:
        summary = core.account_summary(account_no)
        bills = list(reversed(core.list_bills(account_no, limit=BILLS)))
        arrears = core.get_arrears(account_no) if summary.billing == "postpaid" else None
        prepaid = core.get_prepaid_status(account_no) if summary.billing == "prepaid" else None
        orders = core.list_work_orders(account_no, limit=5)
        outages = core.find_outages(account_no=account_no)
    except CoreError as exc:
        log.warning("customer panel unavailable: %s", exc)
        return None
    return {
        "account": mask_account(account_no),
        "name": summary.name,
        "address": summary.address,
        "category": summary.customer_class,
        "tariff": summary.tariff,
        "billing_mode": summary.billing,
        "meter_state": summary.meter_state,
        "bills": [
            {"period": b.period, "kwh": str(b.kwh), "amount": str(b.total), "due_date": b.due_on.isoformat(), "paid": b.paid}
            for b in bills
        ],
        "arrears": (
            {"principal": str(arrears.principal), "late_fee": str(arrears.late_fee), "total": str(arrears.total)}
            if arrears is not None and arrears.total > 0 else None
        ),
        "prepaid": {"balance": str(prepaid.balance), "alert_level": prepaid.alert_level} if prepaid else None,
        "work_orders": [
            {"ticket_no": o.ticket_no, "type": o.type, "state": o.state, "created_at": o.created_at.isoformat(),
             "deadline": o.deadline.isoformat() if o.deadline else None, "summary": o.summary}
            for o in orders
        ],
        "outages": [
            {"area": o.scope, "start": o.start.isoformat(), "end": o.end.isoformat() if o.end else None,
             "reason": o.reason, "status": o.status, "kind": o.kind}
            for o in outages
        ],
    }
