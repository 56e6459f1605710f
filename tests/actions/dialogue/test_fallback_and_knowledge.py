"""Misunderstandings and policy answers: clarify, cite the source, or hand over."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from actions.dialogue import knowledge
from actions.dialogue.answers import ActionAnswerFromKb, ActionOutOfScope
from actions.dialogue.fallback import ActionHandleFallback
from tests.actions.support import QIAN_QI, Conversation, off_hours, verified

LARGE_HOUSEHOLD = SimpleNamespace(
    doc_id="a_large_household",
    title="一户多人口阶梯电量核增办理说明",
    section="申请条件",
    text="## 申请条件\n\n户籍人口满**5人**及以上的居民家庭，可以申请一户多人口，每年各档电量基数增加1200千瓦时。",
    score=0.92,
)


class FakeSearcher:
    """Stands in for the knowledge-base index; records what it was asked."""

    def __init__(self, answerable: bool) -> None:
        self.answerable = answerable
        self.questions: list[str] = []
        # compose then reads the result alone, every word weighing the same
        self.index = SimpleNamespace(section_chunks={}, chunks=[], lexical=SimpleNamespace(idf={}))

    def search(self, question: str, k: int = 3) -> SimpleNamespace:
        self.questions.append(question)
        return SimpleNamespace(answerable=self.answerable, results=[LARGE_HOUSEHOLD] if self.answerable else [])


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> FakeSearcher:
    searcher = FakeSearcher(answerable=True)
    monkeypatch.setattr(knowledge, "load_searcher", lambda: searcher)
    return searcher


@pytest.fixture
def empty_index(monkeypatch: pytest.MonkeyPatch) -> FakeSearcher:
    searcher = FakeSearcher(answerable=False)
    monkeypatch.setattr(knowledge, "load_searcher", lambda: searcher)
    return searcher


def misunderstood(conversation: Conversation, text: str = "那个东西怎么弄") -> Conversation:
    return conversation.user(
        text, "nlu_fallback", ranking=[("nlu_fallback", 0.5), ("query_bill", 0.31), ("greet", 0.2), ("query_usage", 0.18)]
    )


def test_a_policy_answer_cites_its_source(index: FakeSearcher) -> None:
    result = Conversation().user("家里人口多，一户多人口怎么申请", "ask_policy").run(ActionAnswerFromKb())
    assert "满5人及以上" in result.text and "**" not in result.text and "##" not in result.text
    assert "来源：《一户多人口阶梯电量核增办理说明》" in result.text
    assert result.slot("kb_context") == "a_large_household"
    assert index.questions == ["家里人口多，一户多人口怎么申请"]


def test_no_answer_offers_a_human(empty_index: FakeSearcher) -> None:
    result = Conversation().user("电动自行车能不能在楼道充电", "ask_safety").run(ActionAnswerFromKb())
    assert "没有找到确切的答案" in result.text and "人工" in result.text
    assert result.slot("handoff_offer") == "human" and result.slot("handoff_reason") == "no_answer"


def test_out_of_scope_words_the_documents_answer_get_the_answer(index: FakeSearcher) -> None:
    result = Conversation().user("我家人头多 那个档能不能放宽点", "out_of_scope").run(ActionOutOfScope())
    assert "来源：《一户多人口阶梯电量核增办理说明》" in result.text
    assert index.questions == ["我家人头多 那个档能不能放宽点"]


def test_out_of_scope_the_documents_do_not_cover_gets_the_out_of_scope_reply(empty_index: FakeSearcher) -> None:
    result = Conversation().user("燃气费在哪交", "out_of_scope").run(ActionOutOfScope())
    assert result.text == knowledge.OUT_OF_SCOPE
    assert result.slot("handoff_offer") == "<unset>"  # no human offered for a question about gas


def test_a_missing_index_degrades_to_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "knowledge_base.search", None)  # import fails
    result = Conversation().user("一户多人口怎么申请", "ask_policy").run(ActionAnswerFromKb())
    assert "没有找到确切的答案" in result.text and result.slot("handoff_offer") == "human"
    priced = Conversation().user("阶梯电价怎么收", "query_tariff").run(ActionAnswerFromKb())
    assert "0.588" in priced.text  # a figure comes from the tariffs, with or without the documents


def test_a_button_click_searches_with_what_the_button_means(index: FakeSearcher) -> None:
    result = Conversation().user("你好", "greet").user("/query_tariff", "query_tariff").run(ActionAnswerFromKb())
    assert "0.538" in result.text and "0.838" in result.text  # the tiers, from the tariffs
    assert index.questions == ["居民阶梯电价分档标准"]  # the rule's document, for the source


def test_a_suggested_topic_clicked_after_a_misunderstanding_searches_the_original_words(
    empty_index: FakeSearcher, index: FakeSearcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(knowledge, "load_searcher", lambda: empty_index)
    conversation = misunderstood(Conversation(), "人多的家庭电量能不能多给点")
    conversation.run(ActionHandleFallback())
    monkeypatch.setattr(knowledge, "load_searcher", lambda: index)
    conversation.user("/ask_policy", "ask_policy").run(ActionAnswerFromKb())
    assert index.questions[-1] == "人多的家庭电量能不能多给点"


def test_a_long_message_is_searched_by_its_beginning(index: FakeSearcher) -> None:
    Conversation().user("一户多人口" + "电" * 5000, "ask_policy").run(ActionAnswerFromKb())
    assert len(index.questions[0]) == 200


def test_late_fee_question_of_a_verified_customer_adds_their_own_figure(core, index: FakeSearcher) -> None:
    result = verified(Conversation(), QIAN_QI).user("违约金怎么算的", "query_late_fee").run(ActionAnswerFromKb())
    assert "来源：" in result.text and "违约金10.49元" in result.text


def test_first_misunderstanding_offers_the_two_likeliest_topics(empty_index: FakeSearcher) -> None:
    result = misunderstood(Conversation()).run(ActionHandleFallback())
    assert "您是想问" in result.text
    assert [b["payload"] for b in result.buttons] == ["/query_bill", "/query_usage"]
    assert result.custom == []


def test_first_misunderstanding_on_the_phone_lists_the_choices(empty_index: FakeSearcher) -> None:
    result = misunderstood(Conversation(channel="voice")).run(ActionHandleFallback())
    assert result.buttons == [] and "您可以说“查询电费账单”、“查询用电量”" in result.text


def test_second_misunderstanding_in_a_row_offers_a_human(empty_index: FakeSearcher) -> None:
    conversation = misunderstood(Conversation())
    conversation.run(ActionHandleFallback())
    result = misunderstood(conversation, "就是那个啊").run(ActionHandleFallback())
    assert result.custom == [] and "人工" in result.text  # offered, not forced
    assert result.slot("handoff_offer") == "human" and result.slot("handoff_reason") == "fallback"


def test_a_misunderstood_question_the_documents_answer_gets_the_answer(index: FakeSearcher) -> None:
    result = misunderstood(Conversation(), "人多的家庭电量能多给点不").run(ActionHandleFallback())
    assert "来源：《" in result.text and result.buttons == [] and result.slot("kb_context") == "a_large_household"


def test_gibberish_twice_never_gets_a_passage(index: FakeSearcher) -> None:
    conversation = Conversation().user("；；；；", "nlu_fallback", ranking=[("nlu_fallback", 0.9)])
    conversation.run(ActionHandleFallback())
    result = conversation.user("？？？", "nlu_fallback", ranking=[("nlu_fallback", 0.9)]).run(ActionHandleFallback())
    assert "来源" not in result.text and index.questions == []
    assert result.slot("handoff_offer") == "human"


def test_second_misunderstanding_out_of_hours_offers_a_call_back(empty_index: FakeSearcher, monkeypatch) -> None:
    off_hours(monkeypatch)
    conversation = misunderstood(Conversation())
    conversation.run(ActionHandleFallback())
    result = misunderstood(conversation).run(ActionHandleFallback())
    assert result.custom == [] and result.slot("handoff_offer") == "callback"


def test_an_understood_message_in_between_starts_the_count_again(empty_index: FakeSearcher) -> None:
    conversation = misunderstood(Conversation())
    conversation.run(ActionHandleFallback())
    conversation.user("谢谢", "thank").events.append({"event": "action", "name": "utter_thank"})
    result = misunderstood(conversation).run(ActionHandleFallback())
    assert result.custom == [] and "您是想问" in result.text


def test_emoji_only_gets_a_request_to_rephrase() -> None:
    result = Conversation().user("😡😡😡", "nlu_fallback", ranking=[("nlu_fallback", 0.9)]).run(ActionHandleFallback())
    assert "换个说法" in result.text and "转人工" in result.text


def test_noise_gets_no_suggested_topics() -> None:
    ranking = [("nlu_fallback", 0.6), ("query_tariff", 0.3), ("apply_tou", 0.2)]
    result = Conversation().user("\u0000\ufffd\u202e", "nlu_fallback", ranking=ranking).run(ActionHandleFallback())
    assert result.buttons == [] and "换个说法" in result.text


def test_unlikely_topics_are_not_suggested(empty_index: FakeSearcher) -> None:
    ranking = [("nlu_fallback", 0.6), ("query_bill", 0.4), ("apply_tou", 0.08)]
    result = Conversation().user("那个怎么弄", "nlu_fallback", ranking=ranking).run(ActionHandleFallback())
    assert [b["payload"] for b in result.buttons] == ["/query_bill"]


def test_late_fee_of_a_verified_customer_is_told_even_without_the_documents(core, empty_index: FakeSearcher) -> None:
    result = verified(Conversation(), QIAN_QI).user("违约金怎么算的", "query_late_fee").run(ActionAnswerFromKb())
    assert "违约金10.49元" in result.text and result.slot("handoff_offer") == "human"
