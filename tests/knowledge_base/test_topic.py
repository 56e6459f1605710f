"""The topic classifier behind the no-answer decision, trained on the project's real data."""

import pytest

from knowledge_base.core.config import UNANSWERABLE_TRAIN_PATHS, KBSettings
from knowledge_base.topic import TopicClassifier, load_topic_classifier, topic_data, train, training_key
from knowledge_base.training_data import (
    calibration_texts,
    learned_questions,
    nlu_intent_examples,
    read_lines,
    read_unanswerable,
)

# Written for this test, in none of the training files.
OFF_TOPIC = ["楼下小卖部的燃气卡在哪能充", "自来水管子冻裂了找谁修", "宽带每个月扣多少钱", "单位交的社保怎么查"]
ON_TOPIC = ["我家电卡里没钱了咋充", "楼道的电线冒火星了", "电费一个月比一个月贵", "空开老是往下掉"]


@pytest.fixture(scope="module")
def classifier() -> TopicClassifier:
    return TopicClassifier(train(topic_data(KBSettings())))


def test_training_data_keeps_calibration_questions_out():
    data = topic_data(KBSettings())
    held_out = calibration_texts(KBSettings().questions_dir) | set(read_unanswerable())
    assert held_out and not held_out & set(data.on_topic + data.off_topic)
    assert len(data.off_topic) >= 200 and len(data.on_topic) > len(data.off_topic)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_other_utilities_and_services_are_off_topic(classifier, question):
    assert classifier.on_topic(question) < 0.5


@pytest.mark.parametrize("question", ON_TOPIC)
def test_everyday_electricity_questions_are_on_topic(classifier, question):
    assert classifier.on_topic(question) > 0.5


def test_built_classifier_is_used_and_rebuilt_when_its_data_changes(built_kb: KBSettings, kb_copy: KBSettings):
    assert load_topic_classifier(built_kb) is not None
    key = training_key(kb_copy)
    (kb_copy.questions_dir / "train_t.jsonl").open("a", encoding="utf-8").write(
        '{"doc_id": "t_transfer", "section": "x", "question": "新加的问题"}\n'
    )
    assert training_key(kb_copy) != key
    assert load_topic_classifier(kb_copy) is None  # stale: the searcher will not trust it


def test_uncovered_utility_business_is_learned_as_off_topic():
    settings = KBSettings()
    data = topic_data(settings)
    uncovered = {line for path in UNANSWERABLE_TRAIN_PATHS if "uncovered" in path.name for line in read_lines(path)}
    assert len(uncovered) >= 200 and uncovered <= set(data.off_topic)
    # ask_policy takes policy questions the documents may not answer (光伏并网): not evidence of on-topic
    other_intents = {t for intent, texts in nlu_intent_examples(settings.nlu_dir).items() if intent != "ask_policy"
                     for t in texts}
    policy_only = set(nlu_intent_examples(settings.nlu_dir)["ask_policy"]) - other_intents - {
        q.question for q in learned_questions(settings.questions_dir)}
    assert policy_only and not policy_only & set(data.on_topic)
