"""Which section is a question about? A classifier over the known questions.

The retrievers compare a question with passages, and with known questions one at a
time (index.py, question keys). This classifier learns from all the known questions of
a section together which character n-grams point to it (电容 to the power-factor
advice, 户口本 to the large-household policy), the way the NLU's intent classifier
learns intents. Its probability reorders the hybrid's sections (search.py).

It takes no part in the no-answer decision, which stays on the retrieval score alone:
the classifier has learned from siblings of every held-out calibration question, so
its confidence on them would overstate its confidence on a new customer's question.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from knowledge_base.chunking import Section
from knowledge_base.core.config import KBSettings
from knowledge_base.saved_model import SavedModel, files_key
from knowledge_base.segment import normalise
from knowledge_base.training_data import Question, learned_questions, train_question_files

SAVED = SavedModel("sections.joblib")
SECTIONS_VERSION = 1

class SectionClassifier:
    """Character 1–3-gram TF-IDF and a multinomial logistic regression over sections."""

    def __init__(self, pipeline: Pipeline, sections: list[Section]):
        self._pipeline = pipeline
        self._sections = sections

    @classmethod
    def train(cls, questions: list[Question]) -> SectionClassifier | None:
        """None when the questions name fewer than two sections (nothing to tell apart)."""
        sections = sorted({(q.doc_id, q.section) for q in questions})
        if len(sections) < 2:
            return None
        label = {section: i for i, section in enumerate(sections)}
        pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=normalise, sublinear_tf=True),
            LogisticRegression(C=5.0, max_iter=3000),
        )
        pipeline.fit([q.question for q in questions], [label[(q.doc_id, q.section)] for q in questions])
        return cls(pipeline, sections)

    def guess(self, question: str, top: int) -> dict[Section, float]:
        """The `top` likeliest sections with their probabilities."""
        probabilities = self._pipeline.predict_proba([question])[0]
        best = np.argsort(-probabilities)[:top]
        classes = self._pipeline.classes_
        return {self._sections[int(classes[i])]: float(probabilities[i]) for i in best}


def training_key(settings: KBSettings) -> str:
    """Changes whenever the train questions change."""
    return files_key(f"sections-v{SECTIONS_VERSION}", train_question_files(settings.questions_dir))


def ensure_section_classifier(settings: KBSettings) -> int | None:
    """Train and save the classifier when the train questions changed; returns how many it learned from."""
    key = training_key(settings)
    if not SAVED.is_stale(settings, key):
        return None
    questions = learned_questions(settings.questions_dir)
    SAVED.save(settings, key, SectionClassifier.train(questions))
    return len(questions)


def load_section_classifier(settings: KBSettings) -> SectionClassifier | None:
    """The saved classifier, or None when there is none for the current train questions."""
    return SAVED.load(settings, training_key(settings))
