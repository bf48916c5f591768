"""Names that come from the assistant's own domain (intents, actions, responses, slots and
their values, entities). They identify nobody, so redaction never replaces them: a slot value
such as ``self_harm`` looks like a social-media handle, but the next turn's rules need it."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, FrozenSet

import yaml

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"


@functools.lru_cache(maxsize=1)
def _domain() -> Dict:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def domain_words() -> FrozenSet[str]:
    domain = _domain()
    words = set(domain.get("intents", [])) | set(domain.get("actions", [])) | set(domain.get("responses", {}))
    words |= set(domain.get("entities", [])) | set(domain.get("slots", {}))
    for slot in domain.get("slots", {}).values():
        words |= {str(v) for v in slot.get("values", [])}
    words |= {"action_listen", "action_session_start", "action_default_fallback", "action_restart",
              "action_default_ask_affirmation", "action_extract_slots", "nlu_fallback", "session_started_metadata"}
    return frozenset(w.lower() for w in words)


@functools.lru_cache(maxsize=1)
def safe_slots() -> FrozenSet[str]:
    """Slots whose values are drawn from the domain (categorical, bool, float): stored as they are."""
    return frozenset(name for name, slot in _domain().get("slots", {}).items()
                     if slot.get("type") in ("categorical", "bool", "float"))
