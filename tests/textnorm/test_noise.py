"""Messages that say nothing, and short ones that do."""

from __future__ import annotations

import pytest

from textnorm.noise import is_noise


@pytest.mark.parametrize(
    "text", ["？？？？", "；；；；；", "mmm,,", "asdfgh", "呃呃呃 嗯嗯 啊", "嗯 那个啥 就", "😡😡😡", "...", "\u202e"]
)
def test_noise(text: str) -> None:
    assert is_noise(text)


@pytest.mark.parametrize(
    "text", ["嗯", "嗯嗯", "好的", "ok", "88", "hello", "在吗", "那个", "3300012345", "GD202611250001", "👍", "", "停电了？？"]
)
def test_short_messages_that_mean_something(text: str) -> None:
    assert not is_noise(text)
