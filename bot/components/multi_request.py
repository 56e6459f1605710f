"""Rasa component: several requests in one message.

「户号…尾号…我家欠了多少电费，那个滞纳金又是咋算的」 holds two requests; the intent
classifier sees the whole message and may pick the explanation over the account
question. This component cuts a short message into clauses, classifies each with a
small character n-gram model learned from the same training data, and

- makes the main intent the one a 95598 agent acts on first (a danger, a power cut, a
  request on the account or a service, then a question, then small talk), when a clause
  says so with confidence and the whole message is not more urgent;
- lists the other requests in the parse data (``also_asked``: text and intent of each),
  so that the bot can answer them too or say it will.

Long messages (stories, complaints) are left to the classifier: their clauses repeat
the request in many words, and the whole message reads it better.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

logger = logging.getLogger(__name__)

MODEL_FILE = "clauses.joblib"
ALSO_ASKED = "also_asked"
# Who acts first: lower is more urgent. What the customer wants to know about their
# supply or account comes before what they want done (a planned outage before the
# subscription to notices), and both before a general question.
PRIORITY = {
    "report_hazard": 0,
    "report_outage": 1,
    **dict.fromkeys((
        "query_bill", "query_balance", "query_arrears", "query_usage", "query_tier_status", "explain_high_bill",
        "query_payment_history", "payment_not_received", "query_planned_outage", "query_restore_time",
        "query_ticket_status",
    ), 2),
    **dict.fromkeys((
        "ask_tou_advice", "request_invoice", "update_contact", "bind_account", "subscribe_outage_notice",
        "apply_new_connection", "apply_capacity_change", "apply_transfer", "apply_meter_check", "apply_tou",
        "apply_close_account", "apply_ev_charger", "complain", "request_human",
    ), 3),
    **dict.fromkeys((
        "ask_policy", "query_tariff", "query_late_fee", "how_to_pay", "ask_safety", "ask_energy_saving",
    ), 4),
}
NOT_A_REQUEST = 5  # greetings, thanks, yes/no, bare values, small talk
# Chat and voice messages separate clauses with spaces as often as with punctuation.
_SPLIT = re.compile(r"[，,。.！!？?；;\s]+|(?:还有|另外|顺便问一下|顺便问下|顺便|再问一下|再问下|以及|同时)")


def clauses(text: str) -> List[str]:
    return [c.strip() for c in _SPLIT.split(text or "") if len(c.strip()) >= 4]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class MultiRequestDetector(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "max_chars": 80,  # longer messages are stories: left to the whole-message classifier
            "max_clauses": 6,
            "min_confidence": 0.6,  # a clause must be this sure to reorder or to be listed
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, model: Optional[Pipeline]
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> MultiRequestDetector:
        return cls(config, model_storage, resource, None)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MultiRequestDetector:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("no clause model in the trained model: requests are read from whole messages only")
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1),
            LogisticRegression(max_iter=2000, C=10.0),
        )
        model.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(model, directory / MODEL_FILE)
        self._model = model
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        parts = clauses(text)
        if self._model is None or len(parts) < 2 or len(parts) > self._config["max_clauses"]:
            return
        if len(text) > self._config["max_chars"]:
            return
        main = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if main == DEFAULT_NLU_FALLBACK_INTENT_NAME:  # not sure of the whole: a sure clause may say it
            main = next((r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY) or []
                         if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME), None)
        if main is None or (PRIORITY.get(main, NOT_A_REQUEST) == NOT_A_REQUEST and main != "inform"):
            return  # yes/no, greetings, small talk: one thing
        probabilities = self._model.predict_proba(parts)
        found = []
        for part, row in zip(parts, probabilities, strict=True):
            best = row.argmax()
            intent, confidence = self._model.classes_[best], float(row[best])
            if confidence >= self._config["min_confidence"] and PRIORITY.get(intent, NOT_A_REQUEST) < NOT_A_REQUEST:
                found.append({"text": part, "intent": intent, "confidence": round(confidence, 3)})
        if not found:
            return
        first = min(found, key=lambda f: PRIORITY[f["intent"]])
        if PRIORITY[first["intent"]] < PRIORITY.get(main, NOT_A_REQUEST):
            self._make_main(message, first["intent"], first["confidence"])
            main = first["intent"]
        others, seen = [], {main}
        for f in found:
            if f["intent"] not in seen:
                seen.add(f["intent"])
                others.append({"text": f["text"], "intent": f["intent"]})
        if others:
            message.set(ALSO_ASKED, others, add_to_output=True)

    @staticmethod
    def _make_main(message: Message, intent: str, confidence: float) -> None:
        chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                   if r.get(INTENT_NAME_KEY) not in (intent, DEFAULT_NLU_FALLBACK_INTENT_NAME)]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)
