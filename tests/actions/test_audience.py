"""action_ask_audience: asks once, never twice; routes when the audience is known."""
from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.audience import ActionAskAudience
from tests.actions.conftest import run


def responses(messages):
    return [m["response"] for m in messages]


def test_first_time_it_asks_and_remembers_that_it_asked(tracker_factory):
    messages, events = run(ActionAskAudience(), tracker_factory({"topic": "abuse"}))
    assert responses(messages) == ["utter_ask_audience"]
    assert events == [SlotSet("audience_asked", True)]


def test_never_asks_twice_gives_both_audiences_routes_child_first(tracker_factory):
    messages, events = run(ActionAskAudience(), tracker_factory({"topic": "abuse", "audience_asked": True}))
    assert responses(messages) == ["utter_route_childline", "utter_route_nspcc_helpline", "utter_offer_person"]
    assert events == []


def test_self_harm_unknown_audience_after_asking_gives_every_crisis_route(tracker_factory):
    messages, _ = run(ActionAskAudience(), tracker_factory({"topic": "self_harm", "audience_asked": True}))
    assert responses(messages) == ["utter_route_childline", "utter_route_shout", "utter_route_samaritans",
                                   "utter_offer_person"]


def test_known_audience_gets_its_routes_without_a_question(tracker_factory):
    messages, events = run(ActionAskAudience(), tracker_factory({"topic": "online_concern", "audience": "adult"}))
    assert responses(messages) == ["utter_route_nspcc_helpline", "utter_route_ceop", "utter_offer_person"]
    assert events == []
