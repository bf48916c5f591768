"""action_not_understood: rephrase first; twice in a row, routes for the audience and a person."""
from __future__ import annotations

from actions.fallback import ActionNotUnderstood, consecutive_not_understood
from tests.actions.conftest import make_tracker, run, user_event


def bot(name):
    return {"event": "action", "name": name}


def test_counts_only_the_latest_run_of_not_understood():
    events = [user_event("nlu_fallback"), bot("action_not_understood"), user_event("greet"), bot("utter_greet"),
              user_event("nlu_fallback"), bot("action_not_understood"), user_event("nlu_fallback")]
    assert consecutive_not_understood(make_tracker(events=events)) == 2


def test_first_time_asks_to_rephrase_with_examples():
    messages, events = run(ActionNotUnderstood(), make_tracker(events=[user_event("greet"), user_event("nlu_fallback")]))
    assert [m["response"] for m in messages] == ["utter_rephrase"] and events == []


def test_second_time_gives_the_childs_route_and_offers_a_person():
    tracker = make_tracker({"audience": "child"}, [user_event("nlu_fallback"), bot("action_not_understood"),
                                                   user_event("nlu_fallback")])
    messages, _ = run(ActionNotUnderstood(), tracker)
    assert [m["response"] for m in messages] == ["utter_not_understood_twice", "utter_route_childline",
                                                 "utter_offer_person"]


def test_second_time_with_unknown_audience_gives_both_main_routes():
    tracker = make_tracker({}, [user_event("nlu_fallback"), user_event("nlu_fallback")])
    messages, _ = run(ActionNotUnderstood(), tracker)
    assert [m["response"] for m in messages] == ["utter_not_understood_twice", "utter_route_childline",
                                                 "utter_route_nspcc_helpline", "utter_offer_person"]


def test_adult_gets_the_helpline_not_childline():
    tracker = make_tracker({"audience": "adult"}, [user_event("nlu_fallback"), user_event("nlu_fallback")])
    messages, _ = run(ActionNotUnderstood(), tracker)
    assert "utter_route_childline" not in [m["response"] for m in messages]
    assert "utter_route_nspcc_helpline" in [m["response"] for m in messages]


def test_a_message_with_no_words_gets_a_plain_explanation():
    event = {**user_event("nlu_fallback", text="   ")}
    messages, _ = run(ActionNotUnderstood(), make_tracker(events=[event]))
    assert [m["response"] for m in messages] == ["utter_empty_message"]
