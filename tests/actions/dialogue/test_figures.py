"""Figures the billing engine computes, worded with how they were reached."""

from __future__ import annotations

from actions.dialogue.figures import figure_reply
from tests.actions.support import Conversation


def reply(text: str, conversation: Conversation | None = None) -> str:
    conversation = (conversation or Conversation()).user(text, "query_late_fee")
    found = figure_reply(conversation.tracker(), text)
    assert found is not None, text
    return found[0]


def test_a_residential_late_fee_shows_the_minimum(core) -> None:
    words = reply("家里电费两百块 晚交3天 违约金多少")
    assert "0.60" in words and "1元" in words and "1.00元" in words  # 200 × 1‰ × 3 = 0.60 < 1 yuan


def test_late_fee_of_billing_case_l1(core) -> None:
    assert "3.75元" in reply("居民电费250元 逾期15天 违约金多少")


def test_a_follow_up_keeps_the_amount(core) -> None:
    conversation = Conversation().user("电费500元 晚交10天罚多少", "query_late_fee")
    first = figure_reply(conversation.tracker(), "电费500元 晚交10天罚多少")
    assert first is not None and "5.00元" in first[0]
    conversation.set(last_figure=first[2])
    assert "2.00元" in reply("那晚交四天呢", conversation)


def test_tier_prices_come_from_the_tariffs(core) -> None:
    assert "0.838" in reply("最贵那档一度多少钱") and "4,800度" in reply("第三档一度多少")
    assert "0.288" in reply("峰谷电夜里谷段一度多少钱")


def test_a_month_across_two_tiers(core) -> None:
    words = reply("今年累计已经用了2700度 这个月又用了100度 电费多少")
    assert "55.80元" in words  # 60 × 0.538 + 40 × 0.588 (tariffs.yml, the tier split example)


def test_demand_charge(core) -> None:
    assert "15,200.00元" in reply("大工业 最大需量400千瓦 基本电费多少")
