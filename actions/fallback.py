"""Not understood: first ask to rephrase with examples; twice in a row, give routes and offer a person."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.routes import routes_for

FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}


def consecutive_not_understood(tracker: Tracker) -> int:
    """How many user messages in a row, counting the latest, were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count


class ActionNotUnderstood(Action):
    def name(self) -> Text:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if consecutive_not_understood(tracker) < 2:
            text = (tracker.latest_message or {}).get("text") or ""
            no_words = not any(ch.isalnum() for ch in text)
            dispatcher.utter_message(response="utter_empty_message" if no_words else "utter_rephrase")
            return []
        dispatcher.utter_message(response="utter_not_understood_twice")
        for name in routes_for(None, tracker.get_slot("audience")):
            dispatcher.utter_message(response=name)
        return []
