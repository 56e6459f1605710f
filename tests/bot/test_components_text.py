"""Text normalisation of the NLU pipeline: what the model and the actions get to see.

Run in the Rasa venv: .venv-rasa/bin/python -m pytest tests/bot/test_components*.py
"""

from __future__ import annotations

import glob
from pathlib import Path

import jieba
import pytest

from bot.components.homophones import HomophoneCorrector, read_domain_words
from bot.components.normalizer import DATA_DIR, TextNormalizer
from textnorm.digits import convert_spoken_digits, fold_width


@pytest.fixture(scope="module")
def normalize() -> TextNormalizer:
    for dictionary in glob.glob(str(DATA_DIR / "jieba" / "*")):
        jieba.load_userdict(dictionary)
    return TextNormalizer(HomophoneCorrector(read_domain_words(DATA_DIR / "homophones.txt")))


@pytest.mark.parametrize(
    "spoken, digits",
    [
        ("户号是三三零零零幺二三四八", "户号是3300012348"),
        ("三三零幺幺零零零五六七八九", "3301100056789"),
        ("户号 三三零零 零幺二 三四七", "户号 3300 012 347"),
        ("手机号 幺三八-零零幺三-八零零零", "手机号 138-0013-8000"),
        ("尾号是九零零幺的", "尾号是9001的"),
        ("二零二六年八月的电费", "2026年八月的电费"),
        ("后四位两两零零", "后四位2200"),
    ],
)
def test_digits_spoken_one_by_one_become_ascii(spoken: str, digits: str) -> None:
    assert convert_spoken_digits(spoken) == digits


@pytest.mark.parametrize(
    "text",
    [
        "一户多人口怎么申请",
        "两三天了还没来电",
        "张三 13800138000",  # a lone 三 beside a number is part of the name
        "给了个单号GD202611190015 一直没人联系我",
        "户号3301100056789九月份电费",  # the 九 is the month, not a 14th digit
        "三百多块钱",
        "一二三",  # too short to be a number
    ],
)
def test_words_with_chinese_numerals_are_left_alone(text: str) -> None:
    assert convert_spoken_digits(text) == text


def test_full_width_characters_become_half_width() -> None:
    assert fold_width("户号：３３００　ＧＤ２０２６") == "户号:3300 GD2026"


@pytest.mark.parametrize(
    "heard, meant",
    [
        ("店费太贵了", "电费太贵了"),
        ("户好3300771825", "户号3300771825"),
        ("风谷电值得办吗", "峰谷电值得办吗"),
        ("停点了", "停电了"),
        ("用热水壶就跳匝", "用热水壶就跳闸"),  # z/zh of southern accents
        ("接替电价怎么算", "阶梯电价怎么算"),  # a real word, but never meant here
        ("消户要带什么", "销户要带什么"),
        ("想装冲电桩", "想装充电桩"),
        ("电表过护", "电表过户"),
        ("为约金是啥", "违约金是啥"),
    ],
)
def test_misheard_domain_words_are_restored(normalize: TextNormalizer, heard: str, meant: str) -> None:
    assert normalize(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "我们店费用很高",  # 店 + 费用, not 店费
        "空调还在保修期吗",  # 保修 is a word of its own (报修 sounds the same)
        "这个月用电超标了",  # 超标, not 抄表
        "店家说电价涨了",  # 店家, not 电价
        "老人不会用手机 还能去哪交电费",  # 能 is rarely read tái: no 台区 here
        "交费记录",
    ],
)
def test_real_words_that_sound_like_domain_words_are_kept(normalize: TextNormalizer, text: str) -> None:
    assert normalize(text) == text


def test_normalisation_keeps_the_length_so_entity_offsets_hold(normalize: TextNormalizer) -> None:
    text = "户好：三三零零零幺二三四八，店费多少？尾号 ８８６６"
    normalised = normalize(text)
    assert normalised == "户号:3300012348,电费多少?尾号 8866"
    assert len(normalised) == len(text)


def test_domain_word_list_reads_replaceable_real_words(tmp_path: Path) -> None:
    listing = tmp_path / "words.txt"
    listing.write_text("# comment\n阶梯 接替\n电费\n", encoding="utf-8")
    words = {w.word: w for w in read_domain_words(listing)}
    assert set(words) == {"阶梯", "电费"}
    assert words["阶梯"].replaceable == {"接替"}
    assert words["电费"].sounds_like("店费")
