"""Redact one serialised Rasa event (``event.as_dict()``) before it is stored or published.

What is kept, because moderators need it and it identifies nobody: event types, timestamps,
intent names and confidences, intent rankings, action names and policies, entity types, the
entities ``age``, ``school_year``, ``role``, ``audience``, ``audience_cue`` and ``safety_flag``, and
categorical slot values. What is redacted: user text (``text``, ``parse_data.text``), entity values
that overlap an identifier, every string in slot values, metadata and bot message data, and
bot text (which may echo the user). No event is dropped.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Dict, Iterable, Optional, Tuple

from redaction.domain_names import safe_slots
from redaction.redactor import Span, get_redactor, map_offset

# Metadata keys whose value identifies a person whatever it looks like (channel user profiles).
IDENTIFYING_KEYS = {
    "first_name": "<NAME>", "last_name": "<NAME>", "full_name": "<NAME>", "display_name": "<NAME>",
    "given_name": "<NAME>", "family_name": "<NAME>", "surname": "<NAME>", "nickname": "<NAME>",
    "username": "<HANDLE>", "user_name": "<HANDLE>", "screen_name": "<HANDLE>", "handle": "<HANDLE>",
    "phone": "<PHONE>", "phone_number": "<PHONE>", "mobile": "<PHONE>", "from": "<PHONE>", "to": "<PHONE>",
    "email": "<EMAIL>", "email_address": "<EMAIL>", "address": "<ADDRESS>", "postcode": "<POSTCODE>",
    "dob": "<DATE_OF_BIRTH>", "date_of_birth": "<DATE_OF_BIRTH>", "birthday": "<DATE_OF_BIRTH>",
}
# Keys whose value is a name from the domain (responses, actions, intents), never user text.
DOMAIN_NAME_KEYS = {"utter_action", "template_name", "action_name", "intent_name", "policy", "name", "intent",
                    "entity", "extractor", "model_id", "assistant_id", "input_channel", "message_id"}
# Parse-data keys that hold only model output (names and numbers), never user text.
MODEL_OUTPUT_KEYS = {"intent", "intent_ranking", "response_selector"}


class Known:
    """Identifiers already found in this conversation: replaced wherever they appear again (bot echoes)."""

    def __init__(self, values: Optional[Dict[str, str]] = None) -> None:
        self.values = {v: p for v, p in (values or {}).items() if len(v.strip()) >= 2}
        pattern = "|".join(re.escape(v) for v in sorted(self.values, key=len, reverse=True))
        self._regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE) if pattern else None
        self._lower = {v.lower(): p for v, p in self.values.items()}

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Known":
        redactor = get_redactor()
        found: Dict[str, str] = {}
        for text in texts:
            if isinstance(text, str):
                for span in redactor.redact_with_spans(text)[1]:
                    found[text[span.start:span.end]] = span.placeholder
        return cls(found)

    def apply(self, text: str) -> str:
        if self._regex is None:
            return text
        return self._regex.sub(lambda m: self._lower.get(m.group(0).lower(), "<REDACTED>"), text)


NOTHING_KNOWN = Known()


def redact_value(value: Any, known: Known = NOTHING_KNOWN) -> Any:
    """Every string inside ``value`` redacted; identifying keys replaced whole; domain names kept."""
    if isinstance(value, str):
        return known.apply(get_redactor().redact(value))
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            lowered = str(key).lower()
            placeholder = IDENTIFYING_KEYS.get(lowered)
            if placeholder and isinstance(item, (str, int, float)) and not isinstance(item, bool) and item != "":
                result[key] = placeholder
            elif lowered in DOMAIN_NAME_KEYS and isinstance(item, str) and re.fullmatch(r"[\w./:-]{1,120}", item):
                result[key] = item
            else:
                result[key] = redact_value(item, known)
        return result
    if isinstance(value, (list, tuple)):
        return [redact_value(item, known) for item in value]
    return value


def _redact_entities(entities: Any, spans: Tuple[Span, ...], known: Known = NOTHING_KNOWN) -> Any:
    if not isinstance(entities, list):
        return redact_value(entities, known)
    result = []
    for entity in entities:
        if not isinstance(entity, dict):
            result.append(redact_value(entity, known))
            continue
        entity = dict(entity)
        start, end = entity.get("start"), entity.get("end")
        positioned = isinstance(start, int) and isinstance(end, int)
        hit = next((s for s in spans if positioned and start < s.end and s.start < end), None)
        if hit is not None and isinstance(entity.get("value"), str):
            entity["value"] = hit.placeholder
        elif "value" in entity:
            entity["value"] = redact_value(entity["value"], known)
        if positioned:
            entity["start"], entity["end"] = map_offset(start, spans), map_offset(end, spans, is_end=True)
        for key in ("text", "additional_info"):
            if key in entity:
                entity[key] = redact_value(entity[key], known)
        result.append(entity)
    return result


def _redact_parse_data(parse_data: Any, text: Any, known: Known = NOTHING_KNOWN) -> Any:
    if not isinstance(parse_data, dict):
        return redact_value(parse_data, known)
    source = parse_data.get("text") if isinstance(parse_data.get("text"), str) else text
    redacted_text, spans = get_redactor().redact_with_spans(source) if isinstance(source, str) else (source, ())
    if isinstance(redacted_text, str) and known.apply(redacted_text) != redacted_text:
        redacted_text, spans = known.apply(redacted_text), ()  # offsets no longer line up: drop positions below
    result = {}
    for key, item in parse_data.items():
        if key == "text":
            result[key] = redacted_text
        elif key == "entities":
            result[key] = _redact_entities(item, spans, known)
        elif key in MODEL_OUTPUT_KEYS:
            result[key] = copy.deepcopy(item)
        else:
            result[key] = redact_value(item, known)
    return result


def redact_event(data: Dict[str, Any], known: Known = NOTHING_KNOWN) -> Dict[str, Any]:
    """A redacted copy of a serialised event; the input is not changed.

    ``known``: identifiers found earlier in the conversation, replaced where they appear again
    (a bot message that says the user's name back, a name typed alone after being introduced).
    """
    kind = data.get("event")
    result = dict(data)
    if kind == "user":
        result["text"] = redact_value(data.get("text"), known)
        if "parse_data" in data:
            result["parse_data"] = _redact_parse_data(data["parse_data"], data.get("text"), known)
    elif kind == "bot":
        for key in ("text", "data"):
            if key in data:
                result[key] = redact_value(data[key], known)
    elif kind == "slot":
        if data.get("name") not in safe_slots():
            result["value"] = redact_value(data.get("value"), known)
    elif kind == "action":
        if data.get("action_text"):
            result["action_text"] = redact_value(data["action_text"], known)
    elif kind == "entities":
        result["entities"] = _redact_entities(data.get("entities"), (), known)
    elif kind == "user_featurization" or kind is None:
        pass
    else:
        # any other event type: redact every free-text field but keep names and numbers
        for key, item in data.items():
            if key not in {"event", "timestamp", "name", "policy", "confidence", "type_name"}:
                result[key] = redact_value(item, known)
    if "metadata" in data:
        result["metadata"] = redact_value(data["metadata"], known)
    return result
