"""UnknownWordsGate: a message made mostly of words the assistant has never seen is not understood.

Gibberish ("asdkjh qwe") and other languages ("Bonjour, je suis triste") otherwise get a
confident guess from the classifier. This component learns the vocabulary of the training
examples (after the same text-speak normalisation the safety rules use) and, when fewer than
``min_known_share`` of a message's words are in it, sets the intent to ``nlu_fallback`` so the
assistant asks the person to say it another way (and, the second time, gives the main routes).
It runs before SafetySignals, so danger found by the rules still wins.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.textnorm import normalise

FALLBACK_INTENT = "nlu_fallback"
_WORD = re.compile(r"[a-z]{2,}")


def words(text: str) -> List[str]:
    return _WORD.findall(normalise(text))


def known_share(text: str, vocabulary: Set[str]) -> Optional[float]:
    """Share of the message's words found in the vocabulary; None when it has no words."""
    found = words(text)
    if not found:
        # letters but no word of two or more ("zzzz xxxx" normalises to "z x"): nothing known
        return 0.0 if re.search(r"[A-Za-z]{2,}", text or "") else None
    return sum(word in vocabulary for word in found) / len(found)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGate(GraphComponent):
    FILE = "vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_known_share": 0.3}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Set[str]] = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.vocabulary: Set[str] = vocabulary or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnknownWordsGate":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsGate":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / cls.FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Set[str] = set()
        for example in training_data.intent_examples:
            vocabulary.update(words(example.get(TEXT) or ""))
        with self._storage.write_to(self._resource) as directory:
            (directory / self.FILE).write_text(json.dumps(sorted(vocabulary)), encoding="utf-8")
        self.vocabulary = vocabulary
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if not self.vocabulary:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text.split()) < 2:
                continue  # "yep", "thx", "laters": one word is the classifier's to judge
            share = known_share(text, self.vocabulary)
            if share is not None and share < self._config["min_known_share"]:
                message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0 - share}, add_to_output=True)
                ranking = message.get(INTENT_RANKING_KEY) or []
                message.set(INTENT_RANKING_KEY, [{"name": FALLBACK_INTENT, "confidence": 1.0 - share}] + ranking,
                            add_to_output=True)
        return messages
