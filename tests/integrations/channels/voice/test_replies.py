"""Short answers to the line's own questions."""

from __future__ import annotations

import pytest

from integrations.channels.voice.replies import go_on, picked, yes_or_no


@pytest.mark.parametrize(("said", "meaning"), [
    ("对", True), ("对的。", True), ("是的", True), ("没错", True), ("正确", True), ("幺", True), ("1", True),
    ("不对", False), ("不是", False), ("错了", False), ("重新输入", False), ("二", False),
    ("我想查电费", None), ("", None),
])
def test_yes_or_no(said: str, meaning: bool | None) -> None:
    assert yes_or_no(said) is meaning


def test_go_on() -> None:
    assert go_on("继续") and go_on("继续说吧。") and go_on("接着讲")
    assert not go_on("继续缴费怎么办")  # a question, for the bot


def test_a_choice_counts_only_when_named_whole() -> None:
    titles = ["需要", "不用了"]
    assert picked("需要。", titles) == 0 and picked("不用了", titles) == 1
    assert picked("不需要", titles) is None  # holds 需要, means the opposite: the bot reads it
