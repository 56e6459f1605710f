"""Rasa component: a message that says nothing is not understood, whatever the classifier
guessed (textnorm.noise). Runs after the classifiers and the FallbackClassifier, and
predicts ``nlu_fallback`` with full confidence for noise, as FallbackClassifier does."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from textnorm.noise import is_noise


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoiseFilter(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoiseFilter:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not is_noise(message.get(TEXT) or ""):
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            message.data[INTENT_RANKING_KEY] = [fallback] + [
                r
                for r in message.data.get(INTENT_RANKING_KEY) or []
                if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
        return messages
