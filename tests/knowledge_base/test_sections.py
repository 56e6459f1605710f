"""The section classifier: trained at build time, kept fresh, and how it reorders results."""

import pytest

from knowledge_base.search import Searcher
from knowledge_base.sections import SectionClassifier, load_section_classifier, training_key
from knowledge_base.training_data import Question


def test_build_trains_a_classifier_that_knows_the_sections(built_kb):
    classifier = load_section_classifier(built_kb)
    assert classifier is not None
    guessed = classifier.guess("二手房的电表过户要准备啥材料和合同", top=3)
    assert len(guessed) == 3 and sum(guessed.values()) <= 1.0 + 1e-9
    assert next(iter(guessed))[0] == "t_transfer"


def test_classifier_is_stale_when_the_train_questions_change(kb_copy):
    key = training_key(kb_copy)
    with (kb_copy.questions_dir / "train_t.jsonl").open("a", encoding="utf-8") as out:
        out.write('{"doc_id": "t_outage", "section": "查询方式", "question": "停电公告贴在哪"}\n')
    assert training_key(kb_copy) != key
    assert load_section_classifier(kb_copy) is None
    assert Searcher(kb_copy).sections is None  # the searcher goes without rather than trust a stale one


def test_one_section_is_nothing_to_classify():
    assert SectionClassifier.train([Question("d", "s", "问题一"), Question("d", "s", "问题二")]) is None


class FixedGuess:
    """A classifier that is sure of one section."""

    def __init__(self, section: tuple[str, str]):
        self.section = section

    def guess(self, question: str, top: int) -> dict[tuple[str, str], float]:
        return {self.section: 1.0}


@pytest.fixture
def searcher(built_kb) -> Searcher:
    return Searcher(built_kb)


def test_classifier_lifts_its_section_but_not_the_no_answer_score(searcher):
    question = "停电计划在哪里查"
    plain = searcher.ranking(question, k=3)
    assert (plain.results[0].doc_id, plain.results[0].section) == ("t_outage", "查询方式")

    searcher.sections = FixedGuess(("t_late_fee", "如何避免违约金"))
    searcher.settings = searcher.settings.model_copy(update={"section_classifier_weight": 5.0})
    lifted = searcher.ranking(question, k=3)
    assert (lifted.results[0].doc_id, lifted.results[0].section) == ("t_late_fee", "如何避免违约金")
    scores = [r.score for r in lifted.results]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    # answerable is judged on retrieval alone: the classifier's certainty changes nothing there
    assert lifted.best_score == plain.best_score
    assert searcher.search(question).answerable is True
