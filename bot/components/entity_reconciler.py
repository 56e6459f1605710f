"""Rasa component that leaves one entity per stretch of text.

DIET, RegexEntityExtractor and the address extractor each report what they find, so
one account number arrives twice and an address can arrive as DIET's 城东区 and the
parser's 城东区平阳路12号. A slot filled from two entities of one name becomes a list,
which the forms cannot use. This component runs after the extractors and keeps, for
overlapping entities, the one from the most trusted extractor (the configured order),
then the longer one.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    EXTRACTOR,
)
from rasa.shared.nlu.training_data.message import Message


def reconcile(entities: List[Dict[Text, Any]], priority: List[Text]) -> List[Dict[Text, Any]]:
    """Non-overlapping entities, preferring trusted extractors and longer spans; an entity
    inside a longer one of the same label goes first."""

    def rank(entity: Dict[Text, Any]) -> tuple[int, int]:
        extractor = entity.get(EXTRACTOR)
        trust = priority.index(extractor) if extractor in priority else len(priority)
        length = entity[ENTITY_ATTRIBUTE_END] - entity[ENTITY_ATTRIBUTE_START]
        return trust, -length

    def inside_a_longer_one(entity: Dict[Text, Any]) -> bool:
        """平阳路12号 within 小店区平阳路12号 (same label): the longer one says more, whoever found it."""
        start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
        return any(
            other is not entity and other.get("entity") == entity.get("entity")
            and other[ENTITY_ATTRIBUTE_START] <= start and end <= other[ENTITY_ATTRIBUTE_END]
            and other[ENTITY_ATTRIBUTE_END] - other[ENTITY_ATTRIBUTE_START] > end - start
            for other in entities
        )

    kept: List[Dict[Text, Any]] = []
    for entity in sorted((e for e in entities if not inside_a_longer_one(e)), key=rank):
        if all(
            entity[ENTITY_ATTRIBUTE_END] <= other[ENTITY_ATTRIBUTE_START]
            or other[ENTITY_ATTRIBUTE_END] <= entity[ENTITY_ATTRIBUTE_START]
            for other in kept
        ):
            kept.append(entity)
    return sorted(kept, key=lambda e: e[ENTITY_ATTRIBUTE_START])


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class EntityReconciler(GraphComponent):
    """Removes duplicate and overlapping entities reported by different extractors."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # extractors by trust: exact formats, then rules, then the learned model
            "priority": [
                "RegexEntityExtractor",
                "AddressEntityExtractor",
                "LacEntityExtractor",
                "DIETClassifier",
                "CRFEntityExtractor",
            ]
        }

    def __init__(self, priority: List[Text]) -> None:
        self._priority = priority

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityReconciler:
        return cls(list(config["priority"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, reconcile(entities, self._priority), add_to_output=True)
        return messages
