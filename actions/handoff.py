"""action_handoff: queue the conversation for a person (and pause it), or say honestly nobody can come.

Queued: a text with the place in the queue and a rough wait, the `handoff` payload, then the
999 route and the 24-hour route(s) for the audience; the conversation is paused until a member
of staff ends the handoff from the console. Unavailable (outside opening hours, or no agent
present): a text saying so, the payload, and the 24-hour routes. See docs/architecture.md.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from handoff import availability, config, payloads, queue, risk

logger = logging.getLogger(__name__)

ROUTES_24H = {"child": ["utter_route_childline"], "adult": ["utter_route_nspcc_helpline"]}
UNAVAILABLE_RESPONSES = {payloads.OUT_OF_HOURS: "utter_handoff_unavailable_out_of_hours",
                         payloads.NO_STAFF: "utter_handoff_unavailable_no_staff"}


def routes_24h(audience: Optional[str]) -> List[str]:
    """999 first, then the audience's 24-hour route; both audiences' routes when unknown."""
    if audience in ROUTES_24H:
        return ["utter_route_999"] + ROUTES_24H[audience]
    return ["utter_route_999"] + ROUTES_24H["child"] + ROUTES_24H["adult"]


def wait_phrase(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _queue(conversation_id: str, channel: str, audience: Optional[str], topic: Optional[str], level: int):
    """Runs in a worker thread: decide, and if a person can come, queue. Returns (availability, entry, place)."""
    state = availability.check()
    if not state.available:
        return state, None, None
    entry = queue.request(conversation_id, channel, audience, topic, level)
    place = queue.position(entry) if entry["status"] == queue.WAITING else 0
    return state, entry, place


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        audience = tracker.get_slot("audience")
        audience = audience if audience in ROUTES_24H else None
        topic = tracker.get_slot("topic")
        channel = tracker.get_latest_input_channel() or ""
        level = risk.risk_level(topic, tracker.events)
        try:
            state, entry, place = await asyncio.to_thread(
                _queue, tracker.sender_id, channel, audience, topic, level)
        except Exception:  # the database is down: be honest, give the routes, never go silent
            logger.exception("handoff queue unavailable")
            state, entry, place = availability.Availability(False, payloads.NO_STAFF, 0), None, None

        if entry is None:
            dispatcher.utter_message(response=UNAVAILABLE_RESPONSES[state.reason],
                                     json_message=payloads.for_channel(payloads.unavailable(state.reason), channel))
            for name in routes_24h(audience):
                dispatcher.utter_message(response=name)
            return [SlotSet("handoff_status", payloads.UNAVAILABLE)]

        if entry["status"] == queue.CLAIMED:  # already with a person (e.g. after a session restart)
            dispatcher.utter_message(response="utter_handoff_connected",
                                     json_message=payloads.for_channel(payloads.connected(), channel))
            return [SlotSet("handoff_status", payloads.CONNECTED), ConversationPaused()]

        minutes = queue.wait_minutes(place, state.agents, config.minutes_per_conversation())
        dispatcher.utter_message(response="utter_handoff_queued", position=place, wait=wait_phrase(minutes),
                                 json_message=payloads.for_channel(payloads.queued(place, minutes), channel))
        for name in routes_24h(audience):
            dispatcher.utter_message(response=name)
        dispatcher.utter_message(response="utter_handoff_waiting")
        return [SlotSet("handoff_status", payloads.QUEUED), ConversationPaused()]
