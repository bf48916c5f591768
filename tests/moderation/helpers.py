"""Events rows in Rasa's SQL tracker store format, for tests that do not need the real assistant."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from moderation.tables import events


def user(text: str, intent: str, confidence: float = 0.9, flags=()) -> Dict[str, Any]:
    entities = [{"entity": "safety_flag", "value": f} for f in flags]
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence},
                                                          "entities": entities}}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str, utter_action: Optional[str] = None, **extra) -> Dict[str, Any]:
    event = {"event": "bot", "text": text, "data": {}, "metadata": {"utter_action": utter_action} if utter_action else {}}
    event.update(extra)
    return event


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def rows(sender: str, items: List[Dict[str, Any]], start: float) -> List[Dict[str, Any]]:
    out = []
    for i, item in enumerate(items):
        item = {**item, "timestamp": start + i}
        out.append({"sender_id": sender, "type_name": item["event"], "timestamp": item["timestamp"],
                    "intent_name": (item.get("parse_data") or {}).get("intent", {}).get("name"),
                    "action_name": item.get("name") if item["event"] == "action" else None,
                    "data": json.dumps(item)})
    return out


def insert(engine, sender: str, items: List[Dict[str, Any]], start: float) -> None:
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(events.insert(), rows(sender, items, start))


def count_events(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(events)).scalar()
