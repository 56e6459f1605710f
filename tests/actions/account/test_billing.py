"""Bills, balance, arrears and payments of the demo customers, as the customer reads them.

Figures are those the billing engine computes from demo_customers.yml and tariffs.yml
(the year is 2026; "today" is 21 November, so 上个月 is October).
"""

from __future__ import annotations

import pytest

from actions.account.billing import (
    ActionPaymentHistory,
    ActionPaymentNotReceived,
    ActionQueryArrears,
    ActionQueryBalance,
    ActionQueryBill,
)
from tests.actions.support import LI_SI, QIAN_QI, SHOP, WANG_WU, ZHANG_SAN, Conversation, verified


def ask(account_no: str, text: str, intent: str, action, **entities: str):
    return verified(Conversation(), account_no).user(text, intent, entities).run(action)


def test_an_unverified_customer_gets_the_identity_form_and_no_figures(core) -> None:
    result = Conversation().user("上个月电费多少", "query_bill", {"period": "上个月"}).run(ActionQueryBill())
    assert result.followup == "identity_form" and result.slot("pending_action") == "action_query_bill"
    assert result.messages == []


def test_last_month_s_bill_with_its_tier_line(core) -> None:
    """张三, October: 260 kWh, all in tier 2 (2,820 kWh used before) → 260 × 0.588 = 152.88."""
    text = ask(ZHANG_SAN, "上个月电费多少", "query_bill", ActionQueryBill(), period="上个月").text
    assert "2026年10月" in text and "152.88元" in text
    assert "第二档电费：260度 × 0.588元/度 = 152.88元" in text
    assert "未缴" in text


@pytest.mark.parametrize("said", ["2026年9月", "九月", "9月份", "上上个月"])
def test_a_month_however_it_is_said(core, said: str) -> None:
    """张三, September: 300 kWh, 240 of them still in tier 1 → 129.12 + 35.28 = 164.40, paid."""
    text = ask(ZHANG_SAN, f"{said}的电费", "query_bill", ActionQueryBill(), period=said).text
    assert "2026年9月" in text and "164.40元" in text and "已缴清" in text


def test_nlu_missing_the_month_is_read_from_the_text(core) -> None:
    text = ask(ZHANG_SAN, "查一下十月份的电费", "query_bill", ActionQueryBill()).text
    assert "2026年10月" in text


def test_the_month_is_found_in_the_question_after_the_identity_check(core) -> None:
    conversation = Conversation().user("上个月电费多少钱", "query_bill", {"period": "上个月"})
    conversation.user("3300012345", "inform", {"account_no": ZHANG_SAN}).user("8000", "inform")
    text = verified(conversation, ZHANG_SAN).run(ActionQueryBill()).text
    assert "2026年10月" in text and "152.88元" in text


def test_this_month_s_bill_is_not_issued_yet_so_the_latest_is_shown(core) -> None:
    text = ask(ZHANG_SAN, "这个月电费多少", "query_bill", ActionQueryBill(), period="这个月").text
    assert "2026年11月的账单还没有出具" in text and "2026年10月" in text


def test_the_bills_of_a_whole_year(core) -> None:
    text = ask(WANG_WU, "今年一共交了多少电费", "query_bill", ActionQueryBill(), period="今年").text
    assert text.count("· 2026年") == 10 and "合计用电2,660度" in text


def test_a_low_income_household_sees_its_free_kwh(core) -> None:
    text = ask(QIAN_QI, "9月电费", "query_bill", ActionQueryBill(), period="9月").text
    assert "低保/五保户免费电量" in text and "-8.07元" in text and "72.63元" in text


def test_a_shop_sees_its_time_of_use_periods(core) -> None:
    text = ask(SHOP, "8月电费", "query_bill", ActionQueryBill(), period="8月").text
    assert "尖峰电费" in text and "4,570.61元" in text


def test_prepaid_balance_with_its_alert(core) -> None:
    text = ask(LI_SI, "电费还剩多少", "query_balance", ActionQueryBalance()).text
    assert "8.50元" in text and "低于10元" in text and "还能用" in text


def test_a_postpaid_customer_has_no_balance_but_hears_what_is_owed(core) -> None:
    text = ask(ZHANG_SAN, "余额多少", "query_balance", ActionQueryBalance()).text
    assert "没有预存余额" in text and "152.88元" in text


def test_arrears_with_late_fees_to_today(core) -> None:
    """钱七: August, September and October unpaid; late fees at 1‰ a day, at least 1 yuan."""
    text = ask(QIAN_QI, "我家欠了多少电费", "query_arrears", ActionQueryArrears()).text
    assert "3期" in text and "违约金7.17元" in text and "合计应缴263.35元" in text
    assert "违约金10.49元" in text and "可能会依规停电" in text


def test_no_arrears(core) -> None:
    assert "没有欠费" in ask(WANG_WU, "有没有欠费", "query_arrears", ActionQueryArrears()).text


def test_payment_history(core) -> None:
    text = ask(ZHANG_SAN, "缴费记录", "query_payment_history", ActionPaymentHistory()).text
    assert "2026年10月10日 微信支付 164.40元，缴9月电费（已到账）" in text


def test_paid_but_still_worried(core) -> None:
    text = ask(LI_SI, "交了钱怎么还没到账", "payment_not_received", ActionPaymentNotReceived()).text
    assert "50.00元" in text and "已经到账" in text and "运行正常" in text


def test_paid_long_ago_but_still_owing(core) -> None:
    text = ask(QIAN_QI, "我交过钱了", "payment_not_received", ActionPaymentNotReceived()).text
    assert "263.35元" in text


# The web chat's bill card and chart (docs/hub_api.md, custom.type): built from the bill the text states.


def ask_on(channel: str, account_no: str, text: str, **entities: str):
    return verified(Conversation(channel=channel), account_no).user(text, "query_bill", entities).run(ActionQueryBill())


def test_a_bill_on_the_web_comes_with_its_card_after_the_text(core) -> None:
    """张三, October: 260 kWh, 152.88元, due 20 November and still unpaid (today is the 21st)."""
    result = ask_on("web", ZHANG_SAN, "上个月电费多少", period="上个月")
    bill = core.get_bill(ZHANG_SAN, "2026-10")
    assert [m["custom"]["type"] for m in result.messages if m.get("custom")] == ["bill_card"]
    assert result.messages[-1]["custom"]["type"] == "bill_card" and result.messages[0]["text"]  # text first
    card = result.custom[0]
    assert card == {
        "type": "bill_card",
        "period": "2026-10",
        "period_label": "2026年10月",
        "kwh": "260",
        "amount": "152.88",
        "due_date": "2026-11-20",
        "paid": False,
        "account": "3300****45",
    }
    # the same figures as the core's bill and as the text says them
    assert card["amount"] == f"{bill.total:.2f}" and card["kwh"] == str(bill.kwh) and card["due_date"] == bill.due_on.isoformat()
    assert f"电费合计{card['amount']}元" in result.text and f"用电{card['kwh']}度" in result.text
    assert "缴费截止日（2026年11月20日）" in result.text and "未缴" in result.text


def test_a_paid_bill_s_card_says_paid(core) -> None:
    result = ask_on("web", ZHANG_SAN, "9月电费", period="9月")
    card = result.custom[0]
    assert card["paid"] is True and card["amount"] == "164.40" and card["kwh"] == "300" and "已缴清" in result.text


def test_a_bill_not_issued_yet_shows_the_card_of_the_latest_it_states(core) -> None:
    result = ask_on("web", ZHANG_SAN, "这个月电费多少", period="这个月")
    assert [c["period"] for c in result.custom] == ["2026-10"] and "152.88元" in result.text


def test_amounts_on_the_card_are_strings_not_floats(core) -> None:
    """A shop's August bill is 4,570.61元 in the text; the card keeps the core's digits."""
    card = ask_on("web", SHOP, "8月电费", period="8月").custom[0]
    assert card["amount"] == "4570.61" and isinstance(card["kwh"], str)


@pytest.mark.parametrize("channel", ["voice", "wechat"])
def test_channels_without_pictures_get_only_the_text(core, channel: str) -> None:
    single = ask_on(channel, ZHANG_SAN, "上个月电费多少", period="上个月")
    several = ask_on(channel, WANG_WU, "今年一共交了多少电费", period="今年")
    for result in (single, several):
        assert result.messages and result.custom == []
        assert all(not m.get("custom") for m in result.messages)
    assert "152.88元" in single.text


def test_several_bills_on_the_web_get_one_chart_of_them_and_no_cards(core) -> None:
    result = ask_on("web", WANG_WU, "今年一共交了多少电费", period="今年")
    assert [c["type"] for c in result.custom] == ["usage_chart"]
    chart = result.custom[0]
    assert chart["unit"] == "度" and len(chart["points"]) == result.text.count("· 2026年") == 10
    labels = [p["label"] for p in chart["points"]]
    assert labels == sorted(labels) and labels[0] == "2026-01" and labels[-1] == "2026-10"
    assert all(isinstance(p["kwh"], float) for p in chart["points"])
    assert sum(p["kwh"] for p in chart["points"]) == 2660  # 合计用电2,660度, as the text says
