"""Reading what figure a question asks for, and a follow-up that changes one number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.parsers.figures import merge, read_figure_question


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("家里200块的电费 过了截止日10天才交 违约金要多少钱", "late_fee", {"amount": Decimal(200), "days": 10}),
        ("家里电费八十块 晚了三天交 要罚多少", "late_fee", {"amount": Decimal(80), "days": 3}),
        ("我们是商铺 电费一万块 晚了5天 违约金多少", "late_fee", {"amount": Decimal(10000), "business": True}),
        ("那第三档多少钱一度", "tier_price", {"tier": 3}),
        ("超过第一档以后每度电要多少钱", "tier_price", {"tier": 2}),
        ("最贵那档一度多少", "tier_price", {"tier": 3}),
        ("阶梯电价分几档 每档电价多少", "tier_price", {"tier": None}),
        ("居民峰谷电 夜里谷段一度电多少钱", "tou_price", {"part": "valley", "business": False}),
        ("一般工商业高峰时段的电价是多少一度", "tou_price", {"part": "peak", "business": True}),
        ("今年累计已经用了2700度 这个月又用了100度 电费多少", "energy_cost", {"kwh": Decimal(100), "prior_kwh": Decimal(2700)}),
        ("一个月用两百度电 大概要交多少钱", "energy_cost", {"kwh": Decimal(200)}),
        ("这个月最大需量400千瓦 基本电费是多少", "demand_charge", {"kw": Decimal(400)}),
    ],
)
def test_the_figure_asked_for_and_its_numbers(text: str, kind: str, fields: dict) -> None:
    question = read_figure_question(text)
    assert question is not None and question.kind == kind
    for name, value in fields.items():
        assert getattr(question, name) == value, name


@pytest.mark.parametrize("text", ["上个月电费多少", "我家停电三天了", "违约金怎么算的", "峰谷电划算吗"])
def test_no_figure_is_read_into_other_questions(text: str) -> None:
    assert read_figure_question(text) is None


def test_a_follow_up_changes_only_what_it_names() -> None:
    first = read_figure_question("电费200块 晚交10天 违约金多少")
    again = merge(read_figure_question("那晚交三天呢"), "那晚交三天呢", first)
    assert again is not None and (again.amount, again.days) == (Decimal(200), 3)
    tier = merge(read_figure_question("那第二档呢"), "那第二档呢", read_figure_question("第三档一度多少钱"))
    assert tier is not None and tier.tier == 2
    assert merge(None, "我家停电三天了", first) is None  # not a follow-up: no figure
