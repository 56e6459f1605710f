"""Rasa component that normalises Chinese text before the tokenizer sees it.

It runs first in the pipeline and rewrites the message text with three
length-preserving steps: full-width -> half-width, digits spoken one by one -> ASCII
digits, misheard domain words -> the domain word. Because no character is added or
removed, the entity offsets of the training data stay valid, and the entities that
DIET or the regex extractor take from the normalised text are ASCII digits, which is
what the actions want.
"""

from __future__ import annotations

import glob
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import jieba
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_VALUE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.homophones import HomophoneCorrector, read_domain_words
from textnorm.digits import convert_spoken_digits, fold_width

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"


class TextNormalizer:
    """The three folds in order; each keeps the length of the text."""

    def __init__(self, corrector: HomophoneCorrector) -> None:
        self._corrector = corrector

    def __call__(self, text: str) -> str:
        normalised = self._corrector.correct(convert_spoken_digits(fold_width(text)))
        if len(normalised) != len(text):  # a broken fold would shift every entity
            raise AssertionError(f"normalisation changed the length of {text!r}")
        return normalised


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class ChineseTextNormalizer(GraphComponent):
    """Normalises the text of training examples and incoming messages in place."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # jieba user dictionaries: the same directory as JiebaTokenizer's
            # dictionary_path, loaded here too because this component runs before
            # the tokenizer and segments the text to find misheard words.
            "dictionary_path": str(DATA_DIR / "jieba"),
            # domain words for the homophone correction (see homophones.py)
            "domain_words_path": str(DATA_DIR / "homophones.txt"),
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["jieba", "pypinyin"]

    def __init__(self, normalizer: TextNormalizer) -> None:
        self._normalize = normalizer

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChineseTextNormalizer:
        dictionary_path: Optional[str] = config["dictionary_path"]
        if dictionary_path:
            for user_dictionary in sorted(glob.glob(f"{dictionary_path}/*")):
                jieba.load_userdict(user_dictionary)
        words = read_domain_words(Path(config["domain_words_path"]))
        return cls(TextNormalizer(HomophoneCorrector(words)))

    def _normalize_message(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        normalised = self._normalize(text)
        if normalised == text:
            return
        # Annotated values that were the literal span follow the text (幺三三零… ->
        # 1330…); a value given explicitly as a synonym stays as annotated.
        for entity in message.get(ENTITIES) or []:
            start, end = entity["start"], entity["end"]
            if entity.get(ENTITY_ATTRIBUTE_VALUE) == text[start:end]:
                entity[ENTITY_ATTRIBUTE_VALUE] = normalised[start:end]
        message.set(TEXT, normalised)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize_message(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize_message(message)
        return messages
