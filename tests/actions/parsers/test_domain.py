"""What counts as being about electricity supply."""

from __future__ import annotations

import pytest

from actions.parsers.domain import mentions_utility


@pytest.mark.parametrize(
    "text", ["我家没电了", "楼道里有股烧焦味", "什么时候来电", "户号3300 0123 45", "查一下gd2026 1121 0001", "空开老跳"]
)
def test_utility_messages(text: str) -> None:
    assert mentions_utility(text)


@pytest.mark.parametrize(
    "text", ["京东618什么时候开始", "我的快递到哪了", "帮我查下电话费", "推荐个好看的电影", "充电宝能带上飞机吗"]
)
def test_other_domains(text: str) -> None:
    assert not mentions_utility(text)
