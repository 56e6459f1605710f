"""Composed answers: what a customer reads instead of a raw chunk.

Unit tests use small synthetic sections (a table, an FAQ block, numbered articles) so
they do not depend on the documents' wording; the corpus tests search the built index
with the process-wide searcher and compose from its first result, as the bot does, and
check facts from ../shared/spec (tariffs.yml, service_rules.yml) that will not change.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import cast

import pytest

from knowledge_base.chunking import Chunk, positions_by_section
from knowledge_base.compose import MAX_CHARS, ComposedAnswer, cite, compose, plain_units, section_text, split_sentences
from knowledge_base.search import Searcher, SearchResult

TABLE = """第四条 居民阶梯电价分为三档，标准如下：
| 档次 | 年累计用电量 | 电价（元/千瓦时） |
| --- | --- | --- |
| 第一档 | 2760千瓦时及以下 | 0.5380 |
| 第二档 | 2760千瓦时以上至4800千瓦时 | 0.5880 |
| 第三档 | 4800千瓦时以上 | 0.8380 |
第五条 第二档电价在第一档电价基础上每千瓦时加价0.05元。"""

ARRIVAL = """从报修到到达现场，时间一般不超过：
|区域|到达时限|
|---|---|
|城区|45分钟|
|农村地区|90分钟|"""

FAQ = """问：周末也按这个时段计费吗？
答：是的。时段全年每天执行，周末不另作区分。
问：我的店能不能不执行分时电价？
答：不能。一般工商业客户统一执行分时电价。
问：尖峰时段的电量会不会算两次？
答：不会。尖峰电量只按尖峰电价计费一次。"""

ARTICLES = """第一条 电费按月结算，每月1日出具账单。
第二条 缴费截止日为当月20日：
一、逾期的，自21日起计收违约金；
二、应收违约金不足1元的，按1元收取。
第十二条 **银行代扣**客户请保证余额充足，详见[缴费渠道](https://example.com/pay)。
第十三条 不满足第一条、第二条的，按第十二条办理。"""

GENERIC_QUESTIONS = ["怎么办理", "需要多长时间", "要多少钱", "有什么规定", "这个怎么算"]
MARKUP = re.compile(r"\||---|#|`|\]\(|^\s*[-*·]\s|第[一二三四五六七八九十百零〇\d]+条|(?:^|[。！？])(?:问|答)[：:]")
SENTENCE_END = ("。", "！", "？", "”", "）")


def result(text: str, *, title: str = "示例办法", section: str = "示例") -> SearchResult:
    return SearchResult(doc_id="doc", title=title, section=section, text=text, score=1.0)


def sentences_of(text: str) -> list[str]:
    return split_sentences(text)


# ---------------------------------------------------------------- synthetic sections


def test_a_table_is_said_row_by_row_with_its_headers_in_plain_units():
    answer = compose("阶梯电价分几档，每档多少钱", result(TABLE)).text
    assert "第一档：年累计用电量2760度及以下，每度0.538元" in answer
    assert "第三档：年累计用电量4800度以上，每度0.838元" in answer
    assert "|" not in answer and "千瓦时" not in answer and "0.5380" not in answer


def test_a_question_naming_a_row_gets_that_row_only():
    answer = compose("第三档电价是多少", result(TABLE)).text
    assert "0.838" in answer
    assert "0.538" not in answer and "0.588" not in answer


def test_a_row_is_named_the_way_customers_shorten_it():
    answer = compose("住在农村，报修后多久能到", result(ARRIVAL)).text
    assert answer == "从报修到到达现场，时间一般不超过：农村地区90分钟。"


def test_an_faq_question_gets_its_own_answer_without_labels():
    assert compose("我开店的，能不执行分时电价吗", result(FAQ)).text == "不能。一般工商业客户统一执行分时电价。"
    weekend = compose("周末也按时段计费吗", result(FAQ)).text
    assert weekend.startswith("是的。") and "不能" not in weekend and "问" not in weekend


def test_article_numbers_list_markers_emphasis_and_links_are_removed():
    answer = compose("逾期了违约金从哪天开始算，最少收多少", result(ARTICLES)).text
    assert "自21日起计收违约金" in answer and "按1元收取" in answer
    assert not MARKUP.search(answer)
    assert "一、" not in answer and "二、" not in answer
    assert compose("不满足的怎么办理", result(ARTICLES)).text == "不满足相关规定的，按相关规定办理。"
    bank = compose("银行代扣要注意什么", result(ARTICLES)).text
    assert "银行代扣客户请保证余额充足" in bank and "**" not in bank and "http" not in bank


def test_a_list_is_one_sentence_after_its_lead():
    answer = compose("违约金什么时候开始收，不足1元怎么收", result(ARTICLES)).text
    assert "缴费截止日为当月20日：逾期的，自21日起计收违约金；应收违约金不足1元的，按1元收取。" in answer


def test_masked_examples_keep_their_stars():
    text = "信息按以下方式隐藏：\n| 信息 | 显示方式 | 示例 |\n|---|---|---|\n| 手机号 | 显示前3位和后4位 | 138****8866 |"
    assert "138****8866" in compose("手机号怎么显示", result(text)).text


def test_units_prices_and_money_are_said_plainly_and_exactly():
    assert plain_units("平段电价为0.6500元/千瓦时，每千瓦时加价0.05元") == "平段电价为0.65元/度，每度加价0.05元"
    assert plain_units("违约金=250.00×1‰×15=3.75元，15千瓦时") == "违约金=250.00×1‰×15=3.75元，15度"


def test_a_long_cross_reference_is_dropped_and_a_short_one_kept():
    long_ref = compose(
        "峰谷客户的阶梯加价", result("已申请峰谷电价的客户，阶梯加价叠加在峰谷电价之上，详见《居民峰谷分时电价政策说明》。")
    ).text
    assert long_ref == "已申请峰谷电价的客户，阶梯加价叠加在峰谷电价之上。"
    short_ref = compose("短期停产", result("只是短期停产的，也可以考虑办理暂停，详见《暂停办事指南》。")).text
    assert short_ref.endswith("详见《暂停办事指南》。")


def test_an_unrelated_question_still_gets_the_sections_opening():
    answer = compose("今天天气怎么样", result(ARTICLES)).text
    assert answer.startswith("电费按月结算，每月1日出具账单。")


def test_figures_in_the_question_match_chinese_numerals():
    text = "账单每月1日出具。\n逾期未缴的，违约金自截止日的次日（即21日）起计算。\n缴费渠道很多。"
    assert compose("拖到二十一号才交，违约金打哪天开始算", result(text)).text.startswith("逾期未缴的")


def test_a_huge_section_is_cut_to_whole_sentences_within_the_limit():
    text = "\n".join(f"第{n}条 电费第{n}项规定的内容说明，按月计算并按时缴纳，逾期计收违约金。" for n in range(1, 80))
    answer = compose("电费规定", result(text)).text
    assert 0 < len(answer) <= MAX_CHARS and answer.endswith("。")
    run_on = "电费" + "，按月计算并按时缴纳" * 40 + "。"
    cut = compose("电费", result(run_on)).text
    assert len(cut) <= MAX_CHARS and cut.endswith("。") and cut[:-1] in run_on


def test_the_whole_section_is_read_and_overlapping_chunks_are_said_once():
    chunks = [
        Chunk("doc-0", doc_id="doc", section="时限", title="示例办法", text="受理后5个工作日内出具结果。\n校验费为30元。"),
        Chunk("doc-1", doc_id="doc", section="时限", title="示例办法", text="校验费为30元。\n超差的，退还校验费。"),
    ]
    index = SimpleNamespace(chunks=chunks, section_chunks=positions_by_section(chunks), lexical=SimpleNamespace(idf={}))
    searcher = cast(Searcher, SimpleNamespace(index=index))  # what compose reads of a searcher
    first_chunk_only = result(chunks[0].text, section="时限")
    answer = compose("校验费多少钱，超差了退不退", first_chunk_only, searcher).text
    assert "退还校验费" in answer  # from the chunk the search did not return
    assert answer.count("校验费为30元") == 1


def test_cite_is_one_line_naming_the_document():
    answer = ComposedAnswer(text="……", title="居民阶梯电价执行办法", section="分档电量与电价标准", doc_id="d")
    assert cite(answer) == "来源：《居民阶梯电价执行办法》"


# ---------------------------------------------------------------- the built corpus


@pytest.fixture(scope="module")
def searcher():
    from knowledge_base import search as kb_search

    kb_search.reset_searcher()  # another module may have left a searcher over its own corpus
    try:
        return kb_search.get_searcher()
    except kb_search.IndexNotBuiltError as error:
        pytest.skip(f"knowledge base not built ({error}); `make build` builds it")


def answer_to(searcher, question: str) -> str:
    """What the bot says: the first search result, composed."""
    response = searcher.search(question, k=3)
    assert response.answerable and response.results, question
    return compose(question, response.results[0], searcher).text


def test_every_section_composes_to_a_short_clean_answer(searcher):
    index = searcher.index
    assert index.section_chunks
    for (doc_id, section), positions in index.section_chunks.items():
        chunk = index.chunks[positions[0]]
        found = SearchResult(doc_id=doc_id, title=chunk.title, section=section, text=chunk.text, score=1.0)
        for question in [section, *GENERIC_QUESTIONS]:
            text = compose(question, found, searcher).text
            where = f"{doc_id}/{section} <- {question}: {text}"
            assert text.strip() and len(text) <= MAX_CHARS, where
            assert not MARKUP.search(text), where
            # stars only where a table shows masked data (138****8866), never Markdown emphasis
            assert "*" not in text or re.search(r"^\|.*\*", section_text(found, searcher), re.M), where
            assert text.endswith(SENTENCE_END), where
            said = sentences_of(text)
            assert len(said) == len(set(said)), where


def test_tiered_prices_are_all_given(searcher):
    # Composing is tested on the section that answers: the time-of-use section now
    # ranks a hair above it for this wording (retrieval is measured by the KB evaluation,
    # and the bot answers tier prices from the tariffs themselves).
    question = "阶梯电价分几档，每档电价多少"
    result = next(r for r in searcher.search(question, k=3).results if r.doc_id == "a_residential_tiered_price")
    answer = compose(question, result, searcher).text
    assert all(price in answer for price in ("0.538", "0.588", "0.838")), answer


def test_the_third_tier_price_alone(searcher):
    answer = answer_to(searcher, "阶梯电价第三档每度多少钱")
    assert "0.838" in answer and "0.538" not in answer and "0.588" not in answer, answer


def test_rural_repair_arrival(searcher):
    answer = answer_to(searcher, "住在农村，报修后抢修人员多久能到")
    assert "90分钟" in answer and "45分钟" not in answer, answer


def test_how_late_payment_is_charged(searcher):
    answer = answer_to(searcher, "居民电费交晚了，违约金每天按多少收")
    assert "1‰" in answer or "千分之一" in answer, answer
    assert "不足1元" in answer and "按1元" in answer, answer


@pytest.mark.parametrize("question, own, neighbours", [
    ("20号当天交电费算逾期吗", "不算", ["尚未缴清的金额", "减免"]),
    ("只交了一部分电费，违约金怎么算", "尚未缴清的金额", ["不算", "减免"]),
    ("低保户电费有减免吗", "15度", ["1200度", "同时执行"]),
])
def test_an_faq_question_gets_its_own_answer(searcher, question, own, neighbours):
    answer = answer_to(searcher, question)
    assert own in answer and not any(n in answer for n in neighbours), answer
