"""What the caller hears: speakable text in pieces an ear can hold."""

from __future__ import annotations

from integrations.channels.voice.speech import (
    MORE,
    keys_for,
    piece_end,
    speakable,
    yuan,
)


def test_money_is_read_in_yuan_jiao_fen() -> None:
    assert speakable("应缴¥12.50") == "应缴12元5角。"
    assert speakable("合计152.88元") == "合计152元8角8分。"
    assert [yuan("12", "05"), yuan("0", "8"), yuan("0", "05"), yuan("12", "00")] == ["12元零5分", "8角", "5分", "12元"]
    assert speakable("单价0.588元/度") == "单价0.588元每度。"  # a price keeps its decimals


def test_dates_times_and_kwh_are_read_as_said() -> None:
    assert speakable("请于2026-11-25前缴清") == "请于2026年11月25日前缴清。"
    assert speakable("账期2026-10，用电123.4 kWh") == "账期2026年10月，用电123.4度。"
    assert speakable("停电时间08:00-17:30") == "停电时间8点到17点30分。"


def test_the_hotline_is_said_digit_by_digit_not_as_a_quantity() -> None:
    assert speakable("紧急情况请拨打95598") == "紧急情况请拨打9 5 5 9 8。"
    assert speakable("共955980元") == "共955980元。"


def test_no_emoji_urls_markdown_or_tables() -> None:
    spoken = speakable("**提示**：详见 https://95598.cn/bill 😀\n| 月份 | 电量 |\n|---|---|\n| 2026-10 | 260度 |")
    assert spoken == "提示：详见。月份，电量。2026年10月，260度。"


def test_account_numbers_are_read_digit_by_digit() -> None:
    assert "3 3 0 0 0 1 2 3 4 5" in speakable("户号3300012345已核验")


def test_choices_are_spoken_with_their_keys() -> None:
    buttons = [("需要", "/affirm"), ("不用了", "/deny")]
    assert speakable("需要为您登记回电吗？", buttons) + keys_for(buttons) == (
        "需要为您登记回电吗？您可以说“需要”、“不用了”。也可以按键：需要按1，不用了按2。"
    )


def test_a_long_answer_is_read_two_sentences_at_a_time() -> None:
    text = "第一句讲电费。第二句讲电量。第三句讲缴费的截止日期。第四句讲逾期会有多少违约金。"
    end = piece_end(text)
    assert text[:end] == "第一句讲电费。第二句讲电量。"
    assert text[end:piece_end(text, end)] == "第三句讲缴费的截止日期。第四句讲逾期会有多少违约金。"


def test_a_rest_shorter_than_the_offer_to_go_on_is_read_at_once() -> None:
    text = "第一句讲电费。第二句讲电量。好的。"
    assert piece_end(text) == len(text) and len("好的。") < len(MORE)


def test_a_sentence_longer_than_the_ear_holds_is_read_whole_and_alone() -> None:
    first = "您的户号下有一张" + "很" * 100 + "长的账单。"
    assert piece_end(first + "第二句话也不算太短，比继续听的提示更长，留到下一段再读。") == len(first)
