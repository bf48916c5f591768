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
  -> ``disclose_abuse`` when the classifier chose no topic, or, when the disclosure is the writer's own and nothing
  says the writer is an adult, a whistleblowing concern, a statement of age, a question about privacy or about
  what we do; never in place of an adult's concern about a child online (``KEPT_AGAINST_DISCLOSURE``). A disclosure the rules find only
  negated ("no one hurts me") adds nothing and takes nothing away: the classifier's reading stands (docs/nlu.md,
  twenty-fourth session: setting its disclosure aside was wrong every time it fired);
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
# adult topics a child's own intimate images can be mistaken for (not found_abuse_images: "someone sent me
# pictures of children being abused" is a report of images, whoever writes it)
ADULT_TOPICS = {"concern_for_child", "concern_online_abuse", "whistleblowing"}
# a worried adult's concern about a child online, which the rules' disclosure reading never replaces: over set A and
# batches 1-24 and five-fold cross-validation over the training lines, replacing it was wrong 11 times and right none
# (docs/nlu.md, twenty-fourth session); such messages name abuse, often in the first person, without disclosing it.
# concern_for_child still gives way (wrong 7 times in cross-validation, never over the batches) so that a child's
# "i dont want to go back to my dads house" read as a concern is not left with an adult's acknowledgement
KEPT_AGAINST_DISCLOSURE = {"concern_online_abuse"}
# a question about what we do gives way only to a first-person disclosure: "can you help, my stepdad hits me", not
# "do you help children who are being abused" (wrong 6 times and right none when any disclosure replaced it)
QUESTIONS_ABOUT_US = {"ask_capabilities"}
# intents a disclosure outranks (docs/intents.md: disclosure beats everything but danger and self-harm)
# that the classifier may prefer when the message also says who they are or asks about privacy:
# "I'm being forced to have sex and I'm only 12 years old" must not be read as stating an age
BELOW_DISCLOSURE = {"inform_audience", "ask_confidential", "request_human"}
# topics a first-person disclosure replaces only when nothing says the writer is an adult; a report
# of abuse images only when no images or videos are mentioned ("im being abused" is not a report)
GUARDED_TOPICS = (ADULT_TOPICS - KEPT_AGAINST_DISCLOSURE) | BELOW_DISCLOSURE | QUESTIONS_ABOUT_US
IMAGES_INTENT = "found_abuse_images"
SELF_HARM_INTENT = "self_harm"
NUDE_IMAGE_INTENT = "nude_image_shared"
AUDIENCE_INTENT = "inform_audience"
FALLBACK_INTENT = "nlu_fallback"
EXTRACTOR = "SafetySignals"
NOT_A_TOPIC = {"nlu_fallback", "out_of_scope", "affirm", "deny", "greet", "need_to_talk", "ask_capabilities",
               "thanks", "goodbye", "bot_challenge", "ask_advice", None}
# what any disclosure the rules find replaces; the questions about us need the writer's own (GUARDED_TOPICS)
NO_TOPIC_FOR_DISCLOSURE = NOT_A_TOPIC - QUESTIONS_ABOUT_US


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
        short = len((message.get(TEXT) or "").split()) <= 6
        if signals.danger:
            _force_intent(message, DANGER_INTENT)
        elif signals.self_harm and current != DANGER_INTENT:
            _force_intent(message, SELF_HARM_INTENT)
        elif signals.disclosure and (
                current in NO_TOPIC_FOR_DISCLOSURE or (
                    (current in GUARDED_TOPICS or (current == IMAGES_INTENT and not signals.mentions_media))
                    and signals.disclosure_first_person and signals.audience != "adult" and signals.audience_cue != "adult")):
            _force_intent(message, DISCLOSURE_INTENT)
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
