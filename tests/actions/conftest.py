"""Real rasa_sdk Trackers and dispatchers for action tests (as in RasaHQ/rasa-demo)."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def user_event(intent: str, text: str = "some words", confidence: float = 0.9) -> Dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence},
                                                            "entities": [], "text": text}}


def make_tracker(slots: Optional[Dict[str, Any]] = None, events: Optional[List[Dict[str, Any]]] = None,
                 sender: str = "test-user") -> Tracker:
    events = events or []
    latest = next((e for e in reversed(events) if e["event"] == "user"), {"parse_data": {"intent": {}, "entities": []}})
    base = {"audience": None, "topic": None, "audience_asked": False, "handoff_status": None}
    return Tracker(sender, {**base, **(slots or {})}, {**latest["parse_data"], "text": latest.get("text")},
                   events, False, None, {}, "action_listen")


def run(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.fixture
def tracker_factory():
    return make_tracker
