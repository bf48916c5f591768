"""How urgent a waiting conversation is: danger first, then disclosures and self-harm, then the rest."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

DANGER, DISCLOSURE, OTHER = 2, 1, 0
LABELS = {DANGER: "danger", DISCLOSURE: "disclosure", OTHER: "other"}

DANGER_TOPICS = {"danger"}
DISCLOSURE_TOPICS = {"self_harm", "abuse", "nude_image"}
DANGER_INTENTS = {"immediate_danger"}
DISCLOSURE_INTENTS = {"self_harm", "disclose_abuse", "nude_image_shared"}


def _event_level(event: Dict[str, Any]) -> int:
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    flags = {e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "safety_flag"}
    if intent in DANGER_INTENTS or "danger" in flags:
        return DANGER
    if intent in DISCLOSURE_INTENTS or "self_harm" in flags:
        return DISCLOSURE
    return OTHER


def risk_level(topic: Optional[str], events: Iterable[Dict[str, Any]] = ()) -> int:
    """The highest level from the `topic` slot and every user message's intent and safety flags."""
    level = DANGER if topic in DANGER_TOPICS else DISCLOSURE if topic in DISCLOSURE_TOPICS else OTHER
    for event in events:
        if event.get("event") == "user":
            level = max(level, _event_level(event))
            if level == DANGER:
                break
    return level
