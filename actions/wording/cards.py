"""The pictures the web chat draws next to a bill or usage answer (``custom`` payloads).

The shapes are fixed by the hub (docs/hub_api.md, the table of ``custom.type``): a
``bill_card`` for one bill and a ``usage_chart`` for several months. They are built
here, from the very gateway objects (:class:`Bill`, :class:`MonthUsage`) the answer's
text is written from, so the card can never show a figure the text does not say.
Channels without pictures get only that text (see :func:`actions.kernel.channel.show`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from actions.wording.fmt import month_label
from backend_core.gateway.interfaces import Bill, MonthUsage
from backend_core.masking import mask_account

KWH_UNIT = "度"  # what customers call a kWh, as in the texts

Payload = dict[str, Any]


def is_settled(bill: Bill) -> bool:
    """Whether the bill counts as paid: the text's 「已缴清」 and the card's badge use this one test."""
    return bill.paid or bill.unpaid_amount <= 0


def amount_str(amount: Decimal) -> str:
    """Yuan as a string with the bill's two decimals ("152.88"): never a float, which would
    lose cents, and the same digits :func:`actions.wording.fmt.money` writes in the text."""
    return f"{Decimal(amount).quantize(Decimal('0.01')):f}"


def kwh_str(value: Decimal) -> str:
    """kWh as the core gives it, without trailing zeros or an exponent ("260", "12.5")."""
    return f"{Decimal(value).normalize():f}"


def bill_card(bill: Bill) -> Payload:
    """The card of one bill: period, kWh, amount, due date and paid or not, on a masked account."""
    return {
        "type": "bill_card",
        "period": bill.period,
        "period_label": month_label(bill.period),
        "kwh": kwh_str(bill.kwh),
        "amount": amount_str(bill.total),
        "due_date": bill.due_on.isoformat(),
        "paid": is_settled(bill),
        "account": mask_account(bill.account_no),
    }


def usage_chart(title: str, months: Sequence[tuple[str, Decimal]]) -> Payload:
    """A bar chart of (period, kWh) pairs, oldest first whatever order they come in.

    Chart points are numbers (Chart.js plots them); kWh are whole or near-whole, so a
    float is exact enough for a bar, unlike money, which never goes through here.
    """
    points = [{"label": period, "kwh": float(value)} for period, value in sorted(months, key=lambda m: m[0])]
    return {"type": "usage_chart", "title": title, "unit": KWH_UNIT, "points": points}


def span_title(first: str, last: str) -> str:
    """「2026年8月至2026年10月用电量」: the months the answer's text talks about."""
    return f"{month_label(first)}至{month_label(last)}用电量"


def bills_chart(bills: Sequence[Bill]) -> Payload:
    """The kWh of several listed bills as one chart (a list of bills gets no cards)."""
    ordered = sorted(bills, key=lambda b: b.period)
    return usage_chart(span_title(ordered[0].period, ordered[-1].period), [(b.period, b.kwh) for b in ordered])


def months_chart(months: Sequence[MonthUsage]) -> Payload:
    """The kWh of the months of a usage answer as one chart."""
    ordered = sorted(months, key=lambda m: m.period)
    return usage_chart(span_title(ordered[0].period, ordered[-1].period), [(m.period, m.kwh) for m in ordered])
