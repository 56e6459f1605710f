"""Calibrate the no-answer threshold on questions with a known answer and off-topic ones.

Answerable side: the train questions held out of encoder training (see
training_data.is_calibration_question), whose scores look like those of new customer
questions. Unanswerable side: knowledge_base/data/offtopic_calibration.txt. The eval
files are never read. The threshold maximises F0.5 of "not answerable" (precision
weighs more: telling a customer "no answer" when the documents have one is the worse
mistake). It is written next to the index, tied to that index's manifest, so a rebuilt
index is never judged by a stale threshold.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge_base.core.config import OFFTOPIC_PATH, KBSettings
from knowledge_base.training_data import is_calibration_question, load_train_questions, train_question_files

if TYPE_CHECKING:
    from knowledge_base.search import Searcher

THRESHOLD_FILE = "threshold.json"
BETA = 0.5


@dataclass(frozen=True)
class Calibration:
    threshold: float
    precision: float
    recall: float
    answerable: int
    offtopic: int


def calibration_key(settings: KBSettings, manifest: dict[str, Any]) -> str:
    """What a threshold depends on: the index, the fusion settings and the calibration questions."""
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode())
    digest.update(json.dumps([settings.dense_weight, settings.bm25_weight, settings.candidates]).encode())
    for path in [OFFTOPIC_PATH, *train_question_files(settings.questions_dir)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_offtopic(path: Path = OFFTOPIC_PATH) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def choose_threshold(answerable: list[float], offtopic: list[float]) -> Calibration:
    """The cut (midway between neighbouring scores) with the best F0.5 for "not answerable"."""
    scores = sorted(set(answerable) | set(offtopic))
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(scores, scores[1:])] + [scores[-1] + 1e-6 if scores else 1.0]
    best: tuple[float, float, Calibration] | None = None
    for cut in cuts:
        caught = sum(s < cut for s in offtopic)
        wrongly = sum(s < cut for s in answerable)
        precision = caught / (caught + wrongly) if caught + wrongly else 0.0
        recall = caught / len(offtopic) if offtopic else 0.0
        denominator = BETA**2 * precision + recall
        f = (1 + BETA**2) * precision * recall / denominator if denominator else 0.0
        candidate = Calibration(round(cut, 4), round(precision, 4), round(recall, 4), len(answerable), len(offtopic))
        if best is None or (f, -cut) > best[:2]:
            best = (f, -cut, candidate)
    assert best is not None
    return best[2]


def calibrate(searcher: "Searcher", questions_dir: Path) -> Calibration:
    """Score the calibration questions with the loaded index and pick the threshold."""
    held_out = [q.question for q in load_train_questions(questions_dir) if is_calibration_question(q)]

    def best_score(question: str) -> float:
        ranked = searcher.rank(question, k=1)
        return ranked[0].score if ranked else 0.0

    return choose_threshold([best_score(q) for q in held_out], [best_score(q) for q in read_offtopic()])


def write_threshold(settings: KBSettings, manifest: dict[str, Any], calibration: Calibration) -> None:
    payload = {"key": calibration_key(settings, manifest), **calibration.__dict__}
    (settings.index_dir / THRESHOLD_FILE).write_text(json.dumps(payload, indent=2))


def read_threshold(settings: KBSettings, manifest: dict[str, Any]) -> float | None:
    """The calibrated threshold for this very index and fusion, or None if there is none (or it is stale)."""
    path = settings.index_dir / THRESHOLD_FILE
    if not path.is_file():
        return None
    payload = json.loads(path.read_text())
    return payload["threshold"] if payload.get("key") == calibration_key(settings, manifest) else None
