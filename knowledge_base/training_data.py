"""Training material for the encoder: question files and the NLU paraphrase groups.

Only the train question files are read here; the eval files are for measurement alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import yaml

from knowledge_base.chunking import Chunk
from knowledge_base.core.config import UNANSWERABLE_CALIBRATION_PATHS

_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_LIST_ITEM = re.compile(r"^\s*-\s+(.*)$")
# Intents whose examples do not mean the same thing: `inform` carries arbitrary values,
# `out_of_scope` gathers unrelated requests (flights, shares, weather).
NOT_PARAPHRASES = frozenset({"inform", "out_of_scope"})


@dataclass(frozen=True)
class Question:
    doc_id: str
    section: str
    question: str


@dataclass(frozen=True)
class Pair:
    """An (anchor, positive) paraphrase pair; pairs of one group must not share a batch,
    or the loss would push apart two texts that mean the same thing."""

    anchor: str
    positive: str
    group: str


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.append(Question(row["doc_id"], row["section"], row["question"]))
    return questions


def train_question_files(questions_dir: Path) -> list[Path]:
    return sorted(questions_dir.glob("train_*.jsonl"))


def load_train_questions(questions_dir: Path) -> list[Question]:
    return [q for path in train_question_files(questions_dir) for q in load_questions(path)]


def calibration_question_files(questions_dir: Path) -> list[Path]:
    """Questions written for calibration alone (calib_*.jsonl): the hard, oddly worded
    kind, which the held-out share of the train questions lacks."""
    return sorted(questions_dir.glob("calib_*.jsonl"))


def is_calibration_question(question: Question) -> bool:
    """About one train question in six is held out of encoder training, so that the
    no-answer threshold is calibrated on scores of questions the encoder has not seen."""
    return hashlib.sha1(question.question.encode()).digest()[0] % 6 == 0


def learned_questions(questions_dir: Path) -> list[Question]:
    """The train questions the encoder, the question keys and the topic classifier learn from."""
    return [q for q in load_train_questions(questions_dir) if not is_calibration_question(q)]


def held_out_questions(questions_dir: Path) -> list[Question]:
    """The share of the train questions kept for calibration."""
    return [q for q in load_train_questions(questions_dir) if is_calibration_question(q)]


def hard_calibration_questions(questions_dir: Path) -> list[Question]:
    return [q for path in calibration_question_files(questions_dir) for q in load_questions(path)]


def calibration_texts(questions_dir: Path) -> frozenset[str]:
    """The held-out questions' texts, to be kept out of every other training source too
    (an NLU example may say word for word what a calibration question says)."""
    held_out = held_out_questions(questions_dir) + hard_calibration_questions(questions_dir)
    return frozenset(q.question for q in held_out)


def read_unanswerable() -> list[str]:
    """The unanswerable calibration questions: off-topic ones and uncovered utility business."""
    return [line for path in UNANSWERABLE_CALIBRATION_PATHS for line in read_lines(path)]


def strip_entity_markup(example: str) -> str:
    """`[3300012345](account_no)` -> `3300012345`."""
    return _ENTITY_MARKUP.sub(r"\1", example).strip()


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a text file, `#` comments left out."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def nlu_intent_examples(nlu_dir: Path) -> dict[str, list[str]]:
    """The examples of every intent (Rasa YAML), entity markup removed."""
    groups: dict[str, list[str]] = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if not isinstance(item, dict) or item.get("intent") is None:
                continue
            lines = str(item.get("examples") or "").splitlines()
            examples = [strip_entity_markup(m.group(1)) for m in map(_LIST_ITEM.match, lines) if m]
            groups.setdefault(str(item["intent"]), []).extend(e for e in examples if e)
    return groups


def nlu_paraphrase_groups(nlu_dir: Path, held_out: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Examples of each intent whose examples are paraphrases of one another (`held_out` texts left out)."""
    return {
        intent: [t for t in texts if t not in held_out]
        for intent, texts in nlu_intent_examples(nlu_dir).items() if intent not in NOT_PARAPHRASES
    }


@dataclass(frozen=True)
class SectionQuestions:
    """The chunks of one section and the train questions it answers."""

    doc_id: str
    section: str
    passages: tuple[str, ...]
    questions: tuple[str, ...]


def section_questions(questions: Iterable[Question], chunks: list[Chunk]) -> list[SectionQuestions]:
    passages: dict[tuple[str, str], list[str]] = {}
    for chunk in chunks:
        passages.setdefault((chunk.doc_id, chunk.section), []).append(chunk.search_text)
    asked: dict[tuple[str, str], list[str]] = {}
    for q in questions:
        asked.setdefault((q.doc_id, q.section), []).append(q.question)
    return [SectionQuestions(*key, tuple(passages[key]), tuple(dict.fromkeys(asked[key])))
            for key in sorted(asked) if key in passages]


def paraphrase_pairs(groups: dict[str, list[str]]) -> list[Pair]:
    """Each text paired with the next one of its group (a chain covers the group)."""
    pairs: list[Pair] = []
    for group, texts in sorted(groups.items()):
        unique = list(dict.fromkeys(texts))
        pairs.extend(Pair(a, b, group) for a, b in pairwise(unique))
    return pairs
