"""Values as customers give them in service requests: ID numbers, phones, kW, dates, yes/no."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.parsers.values import (
    Invalid,
    clean_address,
    clean_name,
    id_check_digit,
    parse_bank_account,
    parse_capacity_kw,
    parse_date,
    parse_id_number,
    parse_mobile,
    parse_yes_no,
)

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    "said",
    ["11010519491231002X", "身份证110105 19491231 002x", "幺幺零幺零五幺九四九幺二三幺零零二叉"],
)
def test_id_number_typed_spaced_or_spoken(said: str) -> None:
    assert parse_id_number(said) == "11010519491231002X"


@pytest.mark.parametrize(
    ("said", "why"),
    [
        ("110105194912310021", "校验位对不上"),
        ("11010519491231002", "应为18位"),
        ("110105194913310028", "出生日期不对"),
    ],
)
def test_wrong_id_number_says_what_is_wrong(said: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        parse_id_number(said)


def test_no_id_number_in_a_question() -> None:
    assert parse_id_number("身份证号写哪个") is None


@st.composite
def id_prefixes(draw: st.DrawFn) -> str:
    region = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)))
    serial = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return f"{region}{born:%Y%m%d}{serial}"


@given(id_prefixes(), st.sampled_from("0123456789X"))
def test_exactly_one_check_digit_is_accepted(prefix: str, last: str) -> None:
    if last == id_check_digit(prefix):
        assert parse_id_number(prefix + last) == prefix + last
    else:
        with pytest.raises(Invalid):
            parse_id_number(prefix + last)


@pytest.mark.parametrize("said", ["13958806613", "139 5880 6613", "电话是139-5880-6613", "幺三九五八八零六六幺三"])
def test_mobile_numbers(said: str) -> None:
    assert parse_mobile(said) == "13958806613"


@pytest.mark.parametrize(("said", "why"), [("1395880661", "11位"), ("23958806613", "以1开头")])
def test_wrong_mobile_numbers(said: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        parse_mobile(said)


@pytest.mark.parametrize(
    ("said", "kw"),
    [
        ("八千瓦", "8"),
        ("8kW", "8"),
        ("8000瓦", "8"),
        ("十二点五千瓦", "12.5"),
        ("从8千瓦增到16千瓦", "16"),
        ("增容到二十个千瓦吧", "20"),
        ("10千伏安", "10"),
    ],
)
def test_capacity_in_kw(said: str, kw: str) -> None:
    assert parse_capacity_kw(said) == Decimal(kw)


def test_bare_number_is_kw_only_when_kw_was_asked() -> None:
    assert parse_capacity_kw("16") is None
    assert parse_capacity_kw("16", bare_number_is_kw=True) == Decimal(16)
    assert parse_capacity_kw("电价怎么算", bare_number_is_kw=True) is None
    with pytest.raises(Invalid):
        parse_capacity_kw("0千瓦")


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("明天", date(2026, 11, 21)),
        ("大后天上午", date(2026, 11, 23)),
        ("下周三", date(2026, 11, 25)),
        ("周一", date(2026, 11, 23)),
        ("11月25号", date(2026, 11, 25)),
        ("十一月二十五日", date(2026, 11, 25)),
        ("2026-12-01", date(2026, 12, 1)),
        ("25号", date(2026, 11, 25)),
        ("15号", date(2026, 12, 15)),  # the 15th has passed this month
    ],
)
def test_dates_relative_to_today(said: str, day: date) -> None:
    assert parse_date(said, FRIDAY) == day


def test_impossible_date() -> None:
    with pytest.raises(Invalid, match="2月没有30号"):
        parse_date("2月30号", FRIDAY)
    assert parse_date("越快越好", FRIDAY) is None


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("有", True),
        ("有的，购房合同", True),
        ("没问题", True),
        ("确认无误", True),
        ("没有", False),
        ("还没办", False),
        ("不用了", False),
        ("什么算产权证明", None),
    ],
)
def test_yes_or_no(said: str, meant: bool | None) -> None:
    assert parse_yes_no(said) is meant


def test_bank_account() -> None:
    assert parse_bank_account("6222 0212 3456 7890 123") == "6222021234567890123"
    with pytest.raises(Invalid, match="16到19位"):
        parse_bank_account("62220212345")
    assert parse_bank_account("工商银行") is None


def test_names_and_addresses() -> None:
    assert clean_name("我叫张伟。") == "张伟"
    assert clean_name("户主是欧阳娜娜") == "欧阳娜娜"
    assert clean_name("名字要写全名吗") is None
    assert clean_address("地址是城东区平阳路12号3单元501") == "城东区平阳路12号3单元501"
    assert clean_address("不知道") is None
