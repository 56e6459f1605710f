"""Calibrate the no-answer decision on questions with a known answer and off-topic ones.

A question is judged not answerable when its best retrieval score is below one cut or
the topic classifier's probability (topic.py) is below another. Answerable side: the
train questions held out of encoder and topic training (see
training_data.is_calibration_question), judged without the question keys of their own
section (their siblings, written alongside them, would make them look easier than a
new customer's question), and the hard questions of questions/calib_*.jsonl, written
for calibration alone. Unanswerable side: config.UNANSWERABLE_CALIBRATION_PATHS, off-topic
questions and questions about utility business the documents do not cover. The eval
files are never read. The pair of cuts catches as many unanswerable questions as it can
while "not answerable" stays right at least 95 % of the time on the calibration
questions (precision weighs more: telling a customer "no answer" when the documents
have one is the worse mistake; the goal is 0.9 on new questions, and the margin is for
new questions being harder than these); if no pair gets there, the best F0.5. It is
written next to the index, tied to that index's manifest and to the classifiers'
training data, so nothing is ever judged by stale cuts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge_base.core.config import UNANSWERABLE_CALIBRATION_PATHS, KBSettings
from knowledge_base.sections import training_key as sections_training_key
from knowledge_base.topic import training_key as topic_training_key
from knowledge_base.training_data import (
    calibration_question_files,
    hard_calibration_questions,
    held_out_questions,
    read_unanswerable,
    train_question_files,
)

if TYPE_CHECKING:
    from knowledge_base.search import Searcher

THRESHOLD_FILE = "threshold.json"
CALIBRATION_VERSION = 3  # bump when how questions are judged changes
BETA = 0.5
MIN_PRECISION = 0.95


TOPIC_CUTS = np.round(np.arange(0.0, 0.96, 0.025), 3)


@dataclass(frozen=True)
class Judged:
    """What the no-answer decision sees of one question."""

    score: float  # the best fused retrieval score
    on_topic: float  # the topic classifier's probability (1.0 when there is no classifier)


@dataclass(frozen=True)
class Calibration:
    threshold: float  # retrieval score cut
    topic_threshold: float  # topic probability cut
    precision: float
    recall: float
    answerable: int
    offtopic: int


def calibration_key(settings: KBSettings, manifest: dict[str, Any]) -> str:
    """What a threshold depends on: the index, the fusion settings and the calibration questions."""
    digest = hashlib.sha256(json.dumps([CALIBRATION_VERSION, manifest], sort_keys=True).encode())
    digest.update(json.dumps([settings.dense_weight, settings.bm25_weight, settings.question_key_weight,
                              settings.section_classifier_weight, settings.candidates]).encode())
    digest.update(topic_training_key(settings).encode())
    digest.update(sections_training_key(settings).encode())  # its guesses join the candidates
    for path in [*UNANSWERABLE_CALIBRATION_PATHS, *train_question_files(settings.questions_dir),
                 *calibration_question_files(settings.questions_dir)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _score_cuts(scores: np.ndarray) -> np.ndarray:
    """No cut, a cut midway between each pair of neighbouring scores, and a cut above all."""
    ordered = np.unique(scores)
    if ordered.size == 0:
        return np.array([0.0])
    return np.concatenate([[0.0], (ordered[1:] + ordered[:-1]) / 2, [ordered[-1] + 1e-6]])


def choose_cuts(answerable: list[Judged], offtopic: list[Judged]) -> Calibration:
    """The (score cut, topic cut) pair with the best recall of "not answerable" at
    MIN_PRECISION or more (else the best F0.5).

    Ties go to the lowest cuts: the fewer questions refused, the better.
    """
    def as_arrays(judged: list[Judged]) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([j.score for j in judged], dtype=float).reshape(-1, 1, 1),
                np.array([j.on_topic for j in judged], dtype=float).reshape(-1, 1, 1))

    score_cuts = _score_cuts(np.array([j.score for j in answerable + offtopic], dtype=float))
    s_cut, t_cut = score_cuts.reshape(1, -1, 1), TOPIC_CUTS.reshape(1, 1, -1)
    a_score, a_topic = as_arrays(answerable)
    o_score, o_topic = as_arrays(offtopic)
    wrongly = ((a_score < s_cut) | (a_topic < t_cut)).sum(axis=0)
    caught = ((o_score < s_cut) | (o_topic < t_cut)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(caught + wrongly > 0, caught / (caught + wrongly), 0.0)
        recall = caught / len(offtopic) if offtopic else np.zeros_like(precision)
        denominator = BETA**2 * precision + recall
        f = np.where(denominator > 0, (1 + BETA**2) * precision * recall / denominator, 0.0)
    feasible = precision >= MIN_PRECISION
    objective = np.where(feasible, recall, -1.0) if feasible.any() else f
    # argmax over the flattened grid takes the first best: the lowest score cut, then the lowest topic cut
    i, j = np.unravel_index(int(np.argmax(objective)), objective.shape)
    return Calibration(round(float(score_cuts[i]), 4), float(TOPIC_CUTS[j]), round(float(precision[i, j]), 4),
                       round(float(recall[i, j]), 4), len(answerable), len(offtopic))


def calibrate(searcher: Searcher, questions_dir: Path) -> Calibration:
    """Judge the calibration questions with the loaded index and classifier; pick the cuts."""
    answerable = [searcher.judge(q.question, without_keys_of=(q.doc_id, q.section))
                  for q in held_out_questions(questions_dir)]
    answerable += [searcher.judge(q.question) for q in hard_calibration_questions(questions_dir)]
    return choose_cuts(answerable, [searcher.judge(q) for q in read_unanswerable()])


def write_threshold(settings: KBSettings, manifest: dict[str, Any], calibration: Calibration) -> None:
    payload = {"key": calibration_key(settings, manifest), **calibration.__dict__}
    (settings.index_dir / THRESHOLD_FILE).write_text(json.dumps(payload, indent=2))


def read_threshold(settings: KBSettings, manifest: dict[str, Any]) -> tuple[float, float] | None:
    """The calibrated (score cut, topic cut) for this very index, fusion and classifier,
    or None if there is none (or it is stale)."""
    path = settings.index_dir / THRESHOLD_FILE
    if not path.is_file():
        return None
    payload = json.loads(path.read_text())
    if payload.get("key") != calibration_key(settings, manifest):
        return None
    return payload["threshold"], payload.get("topic_threshold", 0.0)
