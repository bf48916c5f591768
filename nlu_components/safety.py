"""SafetySignals: a Rasa NLU graph component that keeps danger from depending on a classifier alone.

It runs last in the pipeline (after the intent classifier and the FallbackClassifier):
- immediate danger (not negated) anywhere in the message -> intent ``immediate_danger``, unless the
  classifier is sure it is something else (``classifier_sure`` or more for its own intent and under
  ``danger_below`` for danger): against such a classifier the rules' danger reading was wrong 19 times and
  right none over set A and batches 1-15, and wrong 26 times and right once in five-fold cross-validation over
  the training lines (docs/nlu.md, fifteenth session). The rules' ``safety_flag`` entity stays, so staff
  queues and moderators still see it, and ``safety.danger_overruled`` says the intent followed the
  classifier. The self-harm and disclosure replies also say 999, so such a message still shows it;
- suicidal feelings or self-harm (not negated) -> intent ``self_harm`` unless danger;
- a classifier's ``immediate_danger`` is never taken away: a false alarm costs the user little (999
  shown alongside their route), a missed one everything; and a negation or "lol" near a danger phrase
  was measured to turn real danger ("lol great hes kicking the door in now") into small talk, never
  the other way round (docs/nlu.md). Negated danger the rules find is simply not added;
- a disclosure the rules find (the writer hit, touched, kept quiet, scared to go home; not negated)
  -> ``disclose_abuse`` when the classifier chose no topic, or an adult's topic, a statement of age or
  a question about privacy although nothing says the writer is an adult; a classifier's ``disclose_abuse`` in a short
  message (``NEGATION_DECIDES_WORDS`` words or fewer) that the rules find only negated ("no one hurts me") falls back to the next
  intent; in a longer message a negation is more often incidental than the point;
- the writer's own intimate images ("my nudes", "pics of me naked") -> ``nude_image_shared`` when
  the classifier chose no topic, an adult's topic or abuse images, and nothing says the writer is an adult;
- entities ``age``, ``school_year``, ``role``, ``audience`` (decides), ``audience_cue`` (hint) and
  ``safety_flag``; the classifier's own intent is kept in the ``safety`` key of the parse data.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.signals import Signals, detect

DANGER_INTENT = "immediate_danger"
DISCLOSURE_INTENT = "disclose_abuse"
# adult topics a child's own disclosure can be mistaken for (not found_abuse_images: "someone sent me
# pictures of children being abused" is a report of images, whoever writes it)
ADULT_TOPICS = {"concern_for_child", "concern_online_abuse", "whistleblowing"}
# intents a disclosure outranks (docs/intents.md: disclosure beats everything but danger and self-harm)
# that the classifier may prefer when the message also says who they are or asks about privacy:
# "I'm being forced to have sex and I'm only 12 years old" must not be read as stating an age
BELOW_DISCLOSURE = {"inform_audience", "ask_confidential", "request_human"}
# topics a first-person disclosure replaces only when nothing says the writer is an adult; a report
# of abuse images only when no images or videos are mentioned ("im being abused" is not a report)
GUARDED_TOPICS = ADULT_TOPICS | BELOW_DISCLOSURE
IMAGES_INTENT = "found_abuse_images"
SELF_HARM_INTENT = "self_harm"
NUDE_IMAGE_INTENT = "nude_image_shared"
AUDIENCE_INTENT = "inform_audience"
FALLBACK_INTENT = "nlu_fallback"
EXTRACTOR = "SafetySignals"
# up to this many words a negated disclosure ("no one hurts me i just feel low") is the message's
# point; in longer ones a negator is more often incidental ("no one believes me but he ...")
NEGATION_DECIDES_WORDS = 12
NEED_TO_TALK_INTENT = "need_to_talk"
# the least confidence at which the classifier's next intent is taken when its first is set aside
PLAUSIBLE_NEXT = 0.1
NOT_A_TOPIC = {"nlu_fallback", "out_of_scope", "affirm", "deny", "greet", "need_to_talk", "ask_capabilities",
               "thanks", "goodbye", "bot_challenge", "ask_advice", None}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
    is_trainable=False,
)
class SafetySignals(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # classifier_sure None: the rules' danger reading always wins
        return {"override_intents": True, "classifier_sure": None, "danger_below": 0.005}

    def __init__(self, config: Dict[Text, Any]) -> None:
        config = {**self.get_default_config(), **config}
        self._override = bool(config["override_intents"])
        self._sure = None if config["classifier_sure"] is None else float(config["classifier_sure"])
        self._danger_below = float(config["danger_below"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetySignals":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not any(ch.isalnum() for ch in text):
                # empty, whitespace, punctuation or emoji only: nothing to understand
                if self._override:
                    _force_intent(message, FALLBACK_INTENT)
                message.set("safety", {"danger": False, "self_harm": False, "no_words": True}, add_to_output=True)
                continue
            signals = detect(text)
            self._add_entities(message, text, signals)
            classifier_intent = (message.get(INTENT) or {}).get("name")
            overruled = self._classifier_overrules_danger(message, signals)
            if self._override:
                self._decide_intent(message, replace(signals, danger=False) if overruled else signals)
            summary = signals.as_dict()
            summary["classifier_intent"] = classifier_intent
            summary["danger_overruled"] = overruled
            message.set("safety", summary, add_to_output=True)
        return messages

    def _classifier_overrules_danger(self, message: Message, signals: Signals) -> bool:
        """True when the rules read danger but the classifier is sure of another intent and all but rules
        danger out (its own intent at ``classifier_sure`` or more, danger under ``danger_below``). An unsure
        classifier, or one that gives danger even a small chance, leaves the rules' reading alone."""
        if self._sure is None or not signals.danger:
            return False
        intent = message.get(INTENT) or {}
        if intent.get("name") in (None, DANGER_INTENT, FALLBACK_INTENT):
            return False
        danger = next((float(r.get("confidence") or 0.0) for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") == DANGER_INTENT), 0.0)
        return float(intent.get("confidence") or 0.0) >= self._sure and danger < self._danger_below

    @staticmethod
    def _decide_intent(message: Message, signals: Signals) -> None:
        current = (message.get(INTENT) or {}).get("name")
        words = len((message.get(TEXT) or "").split())
        short = words <= 6
        if signals.danger:
            _force_intent(message, DANGER_INTENT)
        elif signals.self_harm and current != DANGER_INTENT:
            _force_intent(message, SELF_HARM_INTENT)
        elif signals.disclosure and current != SELF_HARM_INTENT and current != DANGER_INTENT and (
                current in NOT_A_TOPIC or (
                    (current in GUARDED_TOPICS or (current == IMAGES_INTENT and not signals.mentions_media))
                    and signals.disclosure_first_person and signals.audience != "adult" and signals.audience_cue != "adult")):
            _force_intent(message, DISCLOSURE_INTENT)
        elif current == DISCLOSURE_INTENT and signals.disclosure_negated and not signals.disclosure and (
                words <= NEGATION_DECIDES_WORDS):
            _next_intent(message, DISCLOSURE_INTENT)
        elif signals.own_images and (current in NOT_A_TOPIC or current in ADULT_TOPICS or current == IMAGES_INTENT) \
                and signals.audience != "adult" and signals.audience_cue != "adult":
            # "someone shared my nudes on snapchat": the writer's own images, whatever platform words
            # made the classifier think of an adult's online-abuse concern
            _force_intent(message, NUDE_IMAGE_INTENT)
        elif signals.audience and short and current in NOT_A_TOPIC:
            # "im eleven", "s3", "as a parent": a statement of who they are, whatever the classifier said
            _force_intent(message, AUDIENCE_INTENT)

    @staticmethod
    def _add_entities(message: Message, text: str, signals: Signals) -> None:
        found = []
        for name, value in (("age", signals.age), ("school_year", signals.school_year), ("role", signals.role),
                            ("audience", signals.audience), ("audience_cue", signals.audience_cue)):
            if value is not None:
                found.append(_entity(name, str(value), text))
        if signals.danger:
            found.append(_entity("safety_flag", "danger", text))
        if signals.self_harm:
            found.append(_entity("safety_flag", "self_harm", text))
        if signals.disclosure:
            found.append(_entity("safety_flag", "disclosure", text))
        if found:
            existing = [e for e in message.get(ENTITIES, []) if e.get("extractor") != EXTRACTOR]
            message.set(ENTITIES, existing + found, add_to_output=True)


def _next_intent(message: Message, name: str) -> None:
    """The classifier's next intent in place of ``name``; a need to talk when it gave that next one almost nothing
    (a classifier sure of a disclosure that is only negated leaves the rest of its ranking meaningless: "he never
    touches me" is not self-harm at 0.0002, and the guide reads it as a need to talk)."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    if ranking and float(ranking[0].get("confidence") or 0.0) >= PLAUSIBLE_NEXT:
        message.set(INTENT, {"name": ranking[0]["name"], "confidence": ranking[0]["confidence"]}, add_to_output=True)
    elif ranking:
        _force_intent(message, NEED_TO_TALK_INTENT)


def _force_intent(message: Message, name: str) -> None:
    message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}] + ranking, add_to_output=True)


def _entity(name: str, value: str, text: str, start: Optional[int] = None) -> Dict[str, Any]:
    position = text.lower().find(value.lower())
    start = position if position >= 0 else 0
    end = start + len(value) if position >= 0 else len(text)
    return {"entity": name, "value": value, "start": start, "end": end, "confidence_entity": 1.0,
            "extractor": EXTRACTOR}
