"""action_danger_topic_routes: after 999 and the main route, the routes of the message's own topic."""
from __future__ import annotations

from actions.danger import ActionDangerTopicRoutes
from tests.actions.conftest import make_tracker, run


def danger_message(classifier_intent, text="some words"):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": "immediate_danger", "confidence": 1.0}, "entities": [],
                           "safety": {"danger": True, "classifier_intent": classifier_intent}}}


def names(messages):
    return [m["response"] for m in messages]


def test_child_overdose_also_gets_the_crisis_lines_but_not_childline_twice():
    tracker = make_tracker({"audience": "child"}, [danger_message("self_harm")])
    messages, events = run(ActionDangerTopicRoutes(), tracker)
    assert names(messages) == ["utter_route_shout", "utter_route_samaritans", "utter_offer_person"] and events == []


def test_adult_reporting_grooming_now_also_gets_ceop():
    tracker = make_tracker({"audience": "adult"}, [danger_message("concern_online_abuse")])
    assert names(run(ActionDangerTopicRoutes(), tracker)[0]) == ["utter_route_ceop", "utter_offer_person"]


def test_plain_danger_just_offers_a_person():
    for classifier in ("immediate_danger", None, "greet"):
        tracker = make_tracker({"audience": "child"}, [danger_message(classifier)])
        assert names(run(ActionDangerTopicRoutes(), tracker)[0]) == ["utter_offer_person"]


def test_reads_the_danger_message_even_after_the_audience_answer():
    answer = {"event": "user", "text": "im 14", "parse_data": {"intent": {"name": "inform_audience"}, "entities": []}}
    tracker = make_tracker({"audience": "child"}, [danger_message("nude_image_shared"), answer])
    assert names(run(ActionDangerTopicRoutes(), tracker)[0]) == [
        "utter_route_report_remove", "utter_route_ceop", "utter_offer_person"]


def test_danger_that_is_also_self_harm_gets_the_crisis_lines_whatever_the_classifier_said():
    message = danger_message("immediate_danger")
    message["parse_data"]["safety"]["self_harm"] = True
    tracker = make_tracker({"audience": "adult"}, [message])
    assert names(run(ActionDangerTopicRoutes(), tracker)[0]) == ["utter_route_samaritans", "utter_route_shout",
                                                                 "utter_offer_person"]
