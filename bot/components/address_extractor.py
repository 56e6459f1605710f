"""Rasa entity extractor for addresses, built on the spaCy rules of address_parser.

Training reads the place lookup tables of the training data (nlu_data/train/
lookups.yml) and stores them in the model, so the rules the model was measured with
travel with it. Overlaps with DIET's address entities are settled by EntityReconciler.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.pattern_utils import read_lookup_table_file
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.address_parser import AddressParser

PLACES_FILE = "places.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class AddressEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts `address` entities with spaCy EntityRuler rules."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "entity": "address",
            # lookup tables whose entries are places of the territory
            "place_tables": ["district", "street", "community", "village"],
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "jieba"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        places: Dict[Text, List[Text]],
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._places = places
        self._parser = AddressParser(places)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AddressEntityExtractor:
        return cls(config, model_storage, resource, {})

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AddressEntityExtractor:
        with model_storage.read_from(resource) as directory:
            places = json.loads((directory / PLACES_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, places)

    def train(self, training_data: TrainingData) -> Resource:
        wanted = set(self._config["place_tables"])
        places: Dict[Text, List[Text]] = {}
        for table in training_data.lookup_tables:
            if table["name"] in wanted:
                elements = table["elements"]
                if isinstance(elements, str):  # a lookup table kept in its own file
                    elements = read_lookup_table_file(elements)
                places[table["name"]] = sorted(set(elements))
        self._places = places
        self._parser = AddressParser(places)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PLACES_FILE).write_text(
                json.dumps(places, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: self._config["entity"],
                    ENTITY_ATTRIBUTE_START: start,
                    ENTITY_ATTRIBUTE_END: end,
                    ENTITY_ATTRIBUTE_VALUE: text[start:end],
                }
                for start, end in self._parser.find(text)
            ]
            if found:
                message.set(
                    ENTITIES,
                    message.get(ENTITIES, []) + self.add_extractor_name(found),
                    add_to_output=True,
                )
        return messages
