"""Which transcript the line believes, and the domain words it puts right."""

from __future__ import annotations

import pytest

from integrations.channels.voice.hearing import choose, correct


@pytest.mark.parametrize(("heard", "meant"), [
    ("我要查点费", "我要查电费"),  # same sounds
    ("我家停店了", "我家停电了"),
    ("欠飞多少", "欠费多少"),
    ("我区费了吗", "我欠费了吗"),  # 费 kept, 区 starts like 欠
    ("有没有峰古电价", "有没有峰谷电价"),
    ("我要保修", "我要报修"),
])
def test_misheard_domain_words_are_put_right(heard: str, meant: str) -> None:
    assert correct(heard) == meant


@pytest.mark.parametrize("said", ["什么时候通电", "停顿一下", "我听得不清楚", "查一下余额", "hello 12"])
def test_real_words_that_only_resemble_a_domain_word_stay(said: str) -> None:
    assert correct(said) == said  # 通电 (power back on) must never become 停电


def test_a_close_second_that_names_a_domain_word_wins() -> None:
    heard = choose([{"transcript": "我家听得了", "confidence": 0.70}, {"transcript": "我家停电了", "confidence": 0.62}])
    assert heard is not None and heard.text == "我家停电了" and heard.confidence == 0.62


def test_a_clear_first_is_not_overturned_by_the_vocabulary() -> None:
    heard = choose([{"transcript": "我想问问天气", "confidence": 0.95}, {"transcript": "我想问问电费", "confidence": 0.40}])
    assert heard is not None and heard.text == "我想问问天气"


def test_the_score_decides_whether_to_ask_again() -> None:
    unsure = choose([{"transcript": "嗯那个", "confidence": 0.3}])
    assert unsure is not None and unsure.score == pytest.approx(0.3)
    named = choose([{"transcript": "停电", "confidence": 0.4}])
    assert named is not None and named.score == pytest.approx(0.55)


def test_empty_or_odd_alternatives_give_nothing_or_are_skipped() -> None:
    assert choose([]) is None and choose([{"transcript": "  "}, {"confidence": 0.9}, "电费"]) is None
    heard = choose([{"transcript": "查余额", "confidence": True}, {"transcript": "查余额"}])  # no real confidence
    assert heard is not None and heard.confidence == 1.0
