"""What a conversation's stored events say: the transcript moderators read, and the summary row
(audience, flags, routes, search text) the list filters on. Pure functions over events rows."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

from handoff import payloads

DANGER_INTENTS = {"immediate_danger"}
DISCLOSURE_INTENTS = {"disclose_abuse", "nude_image_shared"}
SELF_HARM_INTENTS = {"self_harm"}
NOT_UNDERSTOOD_INTENTS = {"nlu_fallback"}
NOT_UNDERSTOOD_ACTIONS = {"action_default_fallback", "utter_default", "utter_rephrase", "utter_not_understood_twice"}
ROUTE_PREFIX = "utter_route_"
# Questions the assistant waits on. A conversation whose last assistant action is one of these and
# that has had no message since ENDED_AFTER_SECONDS "ended early": the person left during the
# audience question, when offered a person, or when asked to rephrase.
QUESTIONS = {"action_ask_audience", "utter_ask_audience", "utter_offer_person", "utter_rephrase",
             "utter_default", "utter_not_understood_twice", "utter_what_help"}
NEUTRAL_ACTIONS = {"action_listen", "action_session_start", "action_unlikely_intent"}
HANDED_OFF = {"queued", "connected", "ended"}
ENDED_AFTER_SECONDS = 30 * 60
MAX_SEARCH_TEXT = 20000


def _data(row) -> Dict[str, Any]:
    try:
        data = json.loads(row["data"] or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _intent(row, data: Dict[str, Any]):
    intent = ((data.get("parse_data") or {}).get("intent") or {})
    name = row["intent_name"] or intent.get("name")
    confidence = intent.get("confidence")
    return name, confidence if isinstance(confidence, (int, float)) else None


def _safety_flags(data: Dict[str, Any]) -> set:
    entities = (data.get("parse_data") or {}).get("entities") or []
    return {e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == "safety_flag"}


def route_of(name: Optional[str]) -> Optional[str]:
    return name[len(ROUTE_PREFIX):] if isinstance(name, str) and name.startswith(ROUTE_PREFIX) else None


def summarise(conversation_id: str, rows: Iterable[Any]) -> Optional[Dict[str, Any]]:
    """The summary row for one conversation from its events rows (mappings with the events columns)."""
    s: Dict[str, Any] = {"conversation_id": conversation_id, "user_turns": 0, "audience": "unknown",
                         "danger": False, "disclosure": False, "self_harm": False, "handed_off": False,
                         "not_understood": False, "pending_question": False}
    routes: List[str] = []
    texts: List[str] = []
    times: List[float] = []
    last_id = None
    for row in rows:
        last_id = row["id"]
        if row["timestamp"] is not None:
            times.append(float(row["timestamp"]))
        kind, data = row["type_name"], _data(row)
        if kind == "user":
            s["user_turns"] += 1
            s["pending_question"] = False
            intent, _ = _intent(row, data)
            flags = _safety_flags(data)
            s["danger"] |= intent in DANGER_INTENTS or "danger" in flags
            s["disclosure"] |= intent in DISCLOSURE_INTENTS
            s["self_harm"] |= intent in SELF_HARM_INTENTS or "self_harm" in flags
            s["not_understood"] |= intent in NOT_UNDERSTOOD_INTENTS
            texts.append(str(data.get("text") or ""))
        elif kind == "action":
            name = row["action_name"] or data.get("name")
            if name and name not in NEUTRAL_ACTIONS:
                s["pending_question"] = name in QUESTIONS
            s["not_understood"] |= name in NOT_UNDERSTOOD_ACTIONS and name != "utter_what_help"
            route = route_of(name)
            if route and route not in routes:
                routes.append(route)
        elif kind == "bot":
            route = route_of((data.get("metadata") or {}).get("utter_action"))
            if route and route not in routes:
                routes.append(route)
            texts.append(str(data.get("text") or ""))
        elif kind == "slot":
            if data.get("name") == "audience" and data.get("value") in ("child", "adult"):
                s["audience"] = data["value"]
            if data.get("name") == "handoff_status" and data.get("value") in HANDED_OFF:
                s["handed_off"] = True
    if last_id is None:
        return None
    s["started_at"] = min(times) if times else 0.0
    s["last_at"] = max(times) if times else 0.0
    s["last_event_id"] = last_id
    s["routes"] = "," + "".join(f"{r}," for r in sorted(routes))
    s["search_text"] = "\n".join(t for t in texts if t).lower()[:MAX_SEARCH_TEXT]
    return s


def routes_list(routes: str) -> List[str]:
    return [r for r in (routes or "").split(",") if r]


def transcript(rows: Iterable[Any]) -> List[Dict[str, Any]]:
    """User, assistant and staff messages, with each user turn's intent and confidence, and routes as given."""
    items: List[Dict[str, Any]] = []
    for row in rows:
        kind, data = row["type_name"], _data(row)
        if kind == "user":
            intent, confidence = _intent(row, data)
            items.append({"index": row["id"], "from": "user", "at": row["timestamp"], "text": str(data.get("text") or ""),
                          "intent": intent, "confidence": confidence,
                          "safety_flags": sorted(f for f in _safety_flags(data) if isinstance(f, str))})
        elif kind == "bot":
            metadata = data.get("metadata") or {}
            handoff = payloads.unwrap((data.get("data") or {}).get("custom"))
            text = str(data.get("text") or "")
            if not text and handoff is None:
                continue
            items.append({"index": row["id"], "from": "staff" if metadata.get("staff_message") else "bot",
                          "at": row["timestamp"], "text": text, "route": route_of(metadata.get("utter_action")),
                          "handoff": handoff["handoff"].get("status") if handoff else None})
    return items
