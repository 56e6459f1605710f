"""Numbers keyed in or said on the phone."""

from __future__ import annotations

import pytest

from integrations.channels.voice.numbers import (
    ACCOUNT,
    LAST4,
    PHONE,
    asked_for,
    keyed,
    read_back,
    spoken,
)


@pytest.mark.parametrize(("said", "digits"), [
    ("幺三三零零零幺二三四五", "13300012345"),  # 幺 is how 1 is read in numbers
    ("三三零零零一二三四五", "3300012345"),
    ("我的户号是3300 0123 45", "3300012345"),  # the recognizer's groups
    ("户号三三零零，零一二三四五", "3300012345"),
    ("３３００１２３４５６", "3300123456"),  # full-width digits
])
def test_an_account_number_said_digit_by_digit(said: str, digits: str) -> None:
    assert spoken(said, ACCOUNT) == digits


def test_an_amount_said_with_units_is_a_number_and_digits_one_by_one_are_digits() -> None:
    assert spoken("三千三百零一", LAST4) == "3301"  # three thousand three hundred and one
    assert spoken("三三零一", LAST4) == "3301"
    assert spoken("两千零一十二", LAST4) == "2012"  # 两 = 2
    assert spoken("后四位是八零零零", LAST4) == "8000"


def test_the_run_of_the_right_length_is_taken_when_several_were_said() -> None:
    said = "户号3300012345，后四位8000"
    assert spoken(said, ACCOUNT) == "3300012345" and spoken(said, LAST4) == "8000"


def test_words_without_a_number_give_no_digits() -> None:
    assert spoken("我不知道户号", ACCOUNT) == ""
    assert spoken("千万别挂电话", ACCOUNT) == ""  # 千万 here means "by all means"
    assert spoken("我想查一下", ACCOUNT) == ""  # a lone 一 is a word


def test_dtmf_keeps_the_digits_only() -> None:
    assert keyed("3300012345#") == "3300012345" and keyed("*") == ""


def test_a_number_is_read_back_one_digit_at_a_time() -> None:
    assert read_back("3301") == "3 3 0 1"


def test_which_number_the_bot_asks_for() -> None:
    assert asked_for("为保护您的用电信息，请先提供户号（10位或13位数字）和登记手机号的后4位。") is ACCOUNT
    assert asked_for("请再告诉我该户号登记手机号的后4位，用于核验身份。") is LAST4
    assert asked_for("请留一个方便接听的手机号，我们会通过这个号码联系您。") is PHONE
    assert asked_for("户号3300012345已核验。您2026年10月的电费为152.88元。") is None
    assert ACCOUNT.length_words == "10位或13位"
