"""Consumption, annual tiers, "why is my bill high" and time-of-use advice on the demo data."""

from __future__ import annotations

import pytest

from actions.account.usage import ActionExplainBill, ActionQueryTierStatus, ActionQueryUsage, ActionTouAdvice
from tests.actions.support import SHOP, SUN_BA, ZHANG_SAN, ZHAO_LIU, Conversation, verified


def ask(account_no: str, text: str, intent: str, action, **entities: str):
    return verified(Conversation(), account_no).user(text, intent, entities).run(action)


def test_usage_of_a_month_and_where_the_year_stands(core) -> None:
    """孙八 is a large household (6 persons, approved): tiers at 3,960 and 6,000 kWh."""
    text = ask(SUN_BA, "8月用了多少度电", "query_usage", ActionQueryUsage(), period="8月").text
    assert "2026年8月用电910度" in text and "516.58元" in text
    assert "第二档" in text and "全年3,960度以内" in text and "6,000度" in text


def test_usage_without_a_month_is_the_latest_month(core) -> None:
    assert "2026年10月用电260度" in ask(ZHANG_SAN, "用了多少电", "query_usage", ActionQueryUsage()).text


def test_usage_of_several_months_adds_them_up(core) -> None:
    text = ask(ZHANG_SAN, "最近三个月用电", "query_usage", ActionQueryUsage(), period="最近三个月").text
    assert "2026年8月：510度" in text and "合计1,070度" in text


def test_tier_status(core) -> None:
    text = ask(ZHANG_SAN, "我今年用到第几档了", "query_tier_status", ActionQueryTierStatus()).text
    assert "第二档" in text and "进入第三档" in text and "每年1月1日重新计算" in text


def test_a_shop_has_no_residential_tiers(core) -> None:
    assert "没有阶梯档位" in ask(SHOP, "第几档", "query_tier_status", ActionQueryTierStatus()).text


def test_why_is_the_bill_high_compares_and_explains(core) -> None:
    result = ask(ZHAO_LIU, "这个月电费怎么这么高", "explain_high_bill", ActionExplainBill())
    assert "2026年10月的电费是164.74元" in result.text and "前几个月：9月380度、8月650度、7月620度" in result.text
    assert "第二档" in result.text  # the core's finding about the tiers
    assert {"title": "申请电表校验", "payload": "/apply_meter_check"} in result.buttons


def test_explaining_a_month_not_issued_yet_explains_the_latest(core) -> None:
    text = ask(ZHANG_SAN, "这个月为什么这么贵", "explain_high_bill", ActionExplainBill(), period="这个月").text
    assert "2026年10月" in text


def test_time_of_use_would_save_money_on_the_customer_s_own_data(core) -> None:
    result = ask(ZHANG_SAN, "我适合办峰谷电吗", "ask_tou_advice", ActionTouAdvice())
    assert "可省200.30元" in result.text and "谷时段22:00-次日8:00用电占33.9%" in result.text
    assert {"title": "办理峰谷电价", "payload": "/apply_tou"} in result.buttons


def test_a_customer_already_on_time_of_use_hears_what_it_saved(core) -> None:
    text = ask(ZHAO_LIU, "峰谷电划算吗", "ask_tou_advice", ActionTouAdvice()).text
    assert "已执行峰谷电价" in text and "节省362.00元" in text


def test_time_of_use_advice_for_a_shop_says_why_not(core) -> None:
    assert "只适用于居民用户" in ask(SHOP, "峰谷电划算吗", "ask_tou_advice", ActionTouAdvice()).text


# The web chat's usage chart (docs/hub_api.md, custom.type): the months the answer talks about.


def ask_on(channel: str, account_no: str, text: str, **entities: str):
    return verified(Conversation(channel=channel), account_no).user(text, "query_usage", entities).run(ActionQueryUsage())


def test_usage_of_several_months_on_the_web_comes_with_a_chart_of_them(core) -> None:
    result = ask_on("web", ZHANG_SAN, "最近三个月用电", period="最近三个月")
    assert [c["type"] for c in result.custom] == ["usage_chart"] and result.messages[-1].get("custom")
    chart = result.custom[0]
    assert chart["unit"] == "度" and chart["title"] == "2026年8月至2026年10月用电量"
    assert chart["points"] == [
        {"label": "2026-08", "kwh": 510.0},
        {"label": "2026-09", "kwh": 300.0},
        {"label": "2026-10", "kwh": 260.0},
    ]
    assert len(chart["points"]) == result.text.count("· 2026年")  # one bar per month the text lists


def test_a_year_s_trend_has_a_bar_for_every_month_stated(core) -> None:
    result = ask_on("web", ZHANG_SAN, "想看看今年的用电趋势", period="今年")
    points = result.custom[0]["points"]
    assert len(points) == result.text.count("· 2026年") == 10 and points[0]["label"] == "2026-01"


def test_usage_of_one_month_has_no_chart(core) -> None:
    assert ask_on("web", SUN_BA, "8月用了多少度电", period="8月").custom == []


@pytest.mark.parametrize("channel", ["voice", "wechat"])
def test_usage_charts_are_not_sent_where_they_cannot_be_shown(core, channel: str) -> None:
    result = ask_on(channel, ZHANG_SAN, "最近三个月用电", period="最近三个月")
    assert result.custom == [] and all(not m.get("custom") for m in result.messages)
    assert "合计1,070度" in result.text
