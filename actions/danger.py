"""After 999 and the audience's main route, the routes for what the message was also about.

When the safety rules find danger they set the intent to ``immediate_danger``, but the
classifier's own reading of the message is kept (``safety.classifier_intent``). A child who
writes "i just took loads of pills" gets 999 and Childline from the rules, then here Shout and
Samaritans too; a parent reporting grooming that is happening now also gets CEOP. A false
danger alarm therefore costs the person little: they still get the routes for their topic.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.routes import MAIN_ROUTES, OFFER_PERSON, routes_for
from service_catalogue import load_routing

DANGER_INTENT = "immediate_danger"


def topic_of_danger_message(tracker: Tracker) -> Optional[str]:
    """The routing topic the classifier saw in the latest message that raised danger."""
    intent_topics = {spec["intent"]: topic for topic, spec in load_routing().items()}
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == DANGER_INTENT:
            safety = parse.get("safety") or {}
            topic = intent_topics.get(safety.get("classifier_intent"))
            if topic in (None, "danger") and safety.get("self_harm"):
                return "self_harm"  # "i just took a load of pills": the crisis lines too
            return None if topic == "danger" else topic
    return None


class ActionDangerTopicRoutes(Action):
    def name(self) -> Text:
        return "action_danger_topic_routes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        audience = tracker.get_slot("audience")
        already = set(MAIN_ROUTES.get(audience, [])) | {"utter_route_999"}
        topic = topic_of_danger_message(tracker)
        names = [n for n in routes_for(topic, audience) if n not in already] if topic else [OFFER_PERSON]
        for name in names:
            dispatcher.utter_message(response=name)
        return []
