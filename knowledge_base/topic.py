"""Is a question about something our documents cover? A small topic classifier.

One score threshold could not tell "自来水阶梯水价怎么算" (no answer here) from a
customer's odd wording of a real question: both score low, or both high, because the
off-topic question shares the words 阶梯/缴费/停了 with our documents. The topic is
what separates them, and character n-grams see it (水费, 燃气, 宽带 against 电费, 电表,
跳闸). So the no-answer decision has two parts: this classifier's probability that the
question is on topic, and the retrieval score (calibrate.py picks both cuts).

The same holds for utility business the documents do not cover ("屋顶光伏余电上网怎么
结算" scores well on our tariff documents): so off-topic here means "not answered by our
documents", whether about gas bills or rooftop solar.

Trained in seconds at build time on what the encoder also learns from, never on the
calibration or eval questions: on-topic are the train questions outside the calibration
share and the examples of the NLU's domain intents (but ask_policy, which takes policy
questions whether the documents answer them or not); off-topic are the unanswerable
train files (config.UNANSWERABLE_TRAIN_PATHS) and the NLU's out_of_scope examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from knowledge_base.core.config import UNANSWERABLE_CALIBRATION_PATHS, UNANSWERABLE_TRAIN_PATHS, KBSettings
from knowledge_base.saved_model import SavedModel, files_key
from knowledge_base.segment import normalise
from knowledge_base.training_data import (
    calibration_texts,
    learned_questions,
    nlu_intent_examples,
    read_lines,
    read_unanswerable,
    train_question_files,
)

SAVED = SavedModel("topic.joblib")
TOPIC_VERSION = 1
# NLU intents that say nothing about the topic either way (greetings, yes/no, bare values,
# talk about the bot itself); every other intent but out_of_scope is utility business.
NEUTRAL_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "cancel", "inform", "bot_identity", "request_human",
     "praise_or_suggest"}
)
# Policy questions of any kind, answered by our documents or not (光伏并网, 家电赔偿).
MIXED_INTENTS = frozenset({"ask_policy"})
OFF_TOPIC_INTENT = "out_of_scope"


@dataclass(frozen=True)
class TopicData:
    on_topic: list[str]
    off_topic: list[str]


def topic_data(settings: KBSettings) -> TopicData:
    """The training texts, deduplicated; calibration questions (on either side) are left out."""
    questions = [q.question for q in learned_questions(settings.questions_dir)]
    groups = nlu_intent_examples(settings.nlu_dir)
    on_topic = questions + [
        text for intent, texts in sorted(groups.items()) if intent not in NEUTRAL_INTENTS | MIXED_INTENTS | {OFF_TOPIC_INTENT}
        for text in texts
    ]
    off_topic = [line for path in UNANSWERABLE_TRAIN_PATHS for line in read_lines(path)]
    off_topic += groups.get(OFF_TOPIC_INTENT, [])
    held_out = calibration_texts(settings.questions_dir) | set(read_unanswerable())
    return TopicData(*(list(dict.fromkeys(t for t in texts if t not in held_out)) for texts in (on_topic, off_topic)))


def training_key(settings: KBSettings) -> str:
    """Changes whenever anything the classifier is trained on changes."""
    return files_key(f"topic-v{TOPIC_VERSION}", [
        *UNANSWERABLE_TRAIN_PATHS, *UNANSWERABLE_CALIBRATION_PATHS, *train_question_files(settings.questions_dir),
        *sorted(settings.nlu_dir.glob("*.yml")),
    ])


def train(data: TopicData) -> Pipeline:
    """Character 1–3-grams, TF-IDF, balanced logistic regression (there are more on-topic texts)."""
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=normalise, sublinear_tf=True),
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
    )
    texts = data.on_topic + data.off_topic
    labels = [1] * len(data.on_topic) + [0] * len(data.off_topic)
    return model.fit(texts, labels)


class TopicClassifier:
    """The trained classifier as the searcher uses it."""

    def __init__(self, model: Pipeline):
        self._model = model

    def on_topic(self, text: str) -> float:
        """Probability that the text is about the utility's business."""
        return float(self._model.predict_proba([text])[0][1])


def ensure_topic_classifier(settings: KBSettings) -> int | None:
    """Train and save the classifier when its inputs changed; returns how many texts it saw."""
    key = training_key(settings)
    if not SAVED.is_stale(settings, key):
        return None
    data = topic_data(settings)
    SAVED.save(settings, key, train(data))
    return len(data.on_topic) + len(data.off_topic)


def load_topic_classifier(settings: KBSettings) -> TopicClassifier | None:
    """The saved classifier, or None when there is none for the current training data."""
    model = SAVED.load(settings, training_key(settings))
    return TopicClassifier(model) if model is not None else None
