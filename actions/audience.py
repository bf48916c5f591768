"""Ask once whether the person is under 19 or an adult; never ask twice."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.routes import routes_for


class ActionAskAudience(Action):
    def name(self) -> Text:
        return "action_ask_audience"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        audience = tracker.get_slot("audience")
        if audience in ("child", "adult"):
            for name in routes_for(tracker.get_slot("topic"), audience):
                dispatcher.utter_message(response=name)
            return []
        if not tracker.get_slot("audience_asked"):
            dispatcher.utter_message(response="utter_ask_audience")
            return [SlotSet("audience_asked", True)]
        # Asked already and still not known: give both audiences' routes rather than ask again.
        for name in routes_for(tracker.get_slot("topic"), None):
            dispatcher.utter_message(response=name)
        return []
