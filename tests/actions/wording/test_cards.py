"""The custom payloads the web chat draws (docs/hub_api.md): shapes, strings for money, oldest first."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from actions.wording.cards import bill_card, bills_chart, is_settled, months_chart
from backend_core.gateway.interfaces import Bill, BillLine, MonthUsage


def a_bill(period: str = "2026-10", kwh: str = "235", total: str = "123.45", paid: bool = True, unpaid: str = "0.00") -> Bill:
    return Bill(
        account_no="3300012345", period=period, kwh=Decimal(kwh), total=Decimal(total),
        lines=[BillLine(code="tier1", label="第一档电费", kwh=Decimal(kwh), price=Decimal("0.538"), amount=Decimal(total))],
        issued_on=date(2026, 11, 1), due_on=date(2026, 11, 25), paid=paid, paid_amount=Decimal(total) if paid else Decimal(0),
        unpaid_amount=Decimal(unpaid),
    )


def test_a_bill_card_has_exactly_the_documented_fields() -> None:
    assert bill_card(a_bill()) == {
        "type": "bill_card", "period": "2026-10", "period_label": "2026年10月", "kwh": "235", "amount": "123.45",
        "due_date": "2026-11-25", "paid": True, "account": "3300****45",
    }


def test_money_stays_a_string_with_its_cents() -> None:
    card = bill_card(a_bill(total="164.4", kwh="300.00"))
    assert card["amount"] == "164.40" and card["kwh"] == "300"
    assert json.loads(json.dumps(card))["amount"] == "164.40"  # survives the trip to the widget as text


def test_paid_follows_what_the_text_says() -> None:
    assert bill_card(a_bill(paid=False, unpaid="123.45"))["paid"] is False
    assert is_settled(a_bill(paid=False, unpaid="0.00"))  # nothing left to pay reads 「已缴清」


def test_charts_are_oldest_first_and_json_numbers() -> None:
    chart = bills_chart([a_bill("2026-10", "260"), a_bill("2026-08", "510"), a_bill("2026-09", "300")])
    assert chart["title"] == "2026年8月至2026年10月用电量" and chart["unit"] == "度"
    assert chart["points"] == [
        {"label": "2026-08", "kwh": 510.0},
        {"label": "2026-09", "kwh": 300.0},
        {"label": "2026-10", "kwh": 260.0},
    ]
    months = months_chart([MonthUsage(period="2026-02", kwh=Decimal("12.5")), MonthUsage(period="2026-01", kwh=Decimal(210))])
    assert json.loads(json.dumps(months))["points"] == [{"label": "2026-01", "kwh": 210.0}, {"label": "2026-02", "kwh": 12.5}]
