"""What the phone line's text-to-speech receives."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.kernel.channel import for_voice, say, show
from tests.actions.support import Conversation


def test_account_and_ticket_numbers_are_read_digit_by_digit() -> None:
    spoken = for_voice("户号3300012345，工单号GD202611210001。")
    assert "3 3 0 0 0 1 2 3 4 5" in spoken and "G D 2 0 2 6 1 1 2 1 0 0 0 1" in spoken


def test_amounts_and_years_stay_numbers() -> None:
    assert for_voice("2026年10月电费152.88元") == "2026年10月电费152.88元。"


def test_no_emoji_markdown_urls_or_masks() -> None:
    spoken = for_voice("**提示**：请访问 https://example.cn 😀\n联系电话138****8000")
    assert spoken == "提示：请访问。联系电话尾号8000。"


def test_bill_lines_become_sentences() -> None:
    spoken = for_voice("电费合计152.88元。\n· 第二档电费：260度 × 0.588元/度 = 152.88元")
    assert spoken == "电费合计152.88元。第二档电费：260度 乘以 0.588元每度，共152.88元。"


def test_buttons_become_spoken_choices() -> None:
    assert for_voice("请选择。", [("查电费", "/query_bill"), ("转人工", "/request_human")]).endswith(
        "您可以说“查电费”、“转人工”。"
    )


def test_pictures_go_to_the_web_only() -> None:
    payload = {"type": "usage_chart", "title": "近12个月用电量", "unit": "度", "points": []}
    sent = {}
    for channel in ("web", "wechat", "voice"):
        tracker = Conversation(channel=channel).user("用电趋势", "query_usage").tracker()
        dispatcher = CollectingDispatcher()
        say(dispatcher, tracker, "近12个月的用电：……")
        show(dispatcher, tracker, payload)
        sent[channel] = [m["custom"] for m in dispatcher.messages if m["custom"]]
        assert dispatcher.messages[0]["text"]  # the text comes first, everywhere
    assert sent == {"web": [payload], "wechat": [], "voice": []}
