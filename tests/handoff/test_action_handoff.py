"""action_handoff with a real rasa_sdk Tracker and CollectingDispatcher, on a temporary database."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from handoff import queue, settings, staff
from handoff.db import get_engine


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    monkeypatch.setenv("SAFEGUARD_DB_URL", url)
    monkeypatch.setenv("HANDOFF_HOURS", "always")
    monkeypatch.setenv("HANDOFF_MINUTES_PER_CONVERSATION", "10")
    return get_engine(url)


def present_agent(engine, name="agent-one"):
    user = staff.create_user(name, "a long enough password", "agent", engine)
    staff.create_session(user["id"], engine)
    staff.set_available(user["id"], True, engine)
    return user


def user_event(intent, channel="socketio", text="hi", entities=()):
    return {"event": "user", "text": text, "input_channel": channel,
            "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)}}


def make_tracker(events, slots=None, sender=None):
    latest = events[-1]["parse_data"] if events else {}
    return Tracker(sender or uuid.uuid4().hex, slots or {}, latest, events, False, None, None, "action_listen")


def run(tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionHandoff().run(dispatcher, tracker, {}))
    summary = [(m.get("response"), m.get("custom") or None, m.get("position"), m.get("wait")) for m in dispatcher.messages]
    return summary, events


def test_queued_pauses_and_gives_999_and_both_routes(db):
    present_agent(db)
    tracker = make_tracker([user_event("request_human")])
    messages, events = run(tracker)
    assert messages == [
        ("utter_handoff_queued", {"data": {"handoff": {"status": "queued", "position": 1, "wait_minutes": 10}}}, 1,
         "10 minutes"),
        ("utter_route_999", None, None, None),
        ("utter_route_childline", None, None, None),
        ("utter_route_nspcc_helpline", None, None, None),
        ("utter_handoff_waiting", None, None, None),
    ]
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_status", "value": "queued"},
                      {"event": "pause", "timestamp": None}]
    entry = queue.active(tracker.sender_id, db)
    assert (entry["status"], entry["channel"], entry["risk"]) == ("waiting", "socketio", 0)


def test_rest_channel_gets_the_payload_unwrapped_and_audience_routes(db):
    present_agent(db)
    messages, _ = run(make_tracker([user_event("request_human", channel="rest")], {"audience": "adult"}))
    assert messages[0][1] == {"handoff": {"status": "queued", "position": 1, "wait_minutes": 10}}
    assert [m[0] for m in messages] == ["utter_handoff_queued", "utter_route_999", "utter_route_nspcc_helpline",
                                        "utter_handoff_waiting"]


def test_risk_orders_the_queue_and_positions(db):
    present_agent(db)
    first, _ = run(make_tracker([user_event("request_human")], sender="calm"))
    second, _ = run(make_tracker([user_event("disclose_abuse"), user_event("request_human")],
                                 {"topic": "abuse", "audience": "child"}, sender="disclosure"))
    third, _ = run(make_tracker([user_event("need_to_talk", entities=[{"entity": "safety_flag", "value": "danger"}]),
                                 user_event("affirm")], sender="danger"))
    assert (first[0][2], second[0][2], third[0][2]) == (1, 1, 1)
    assert [e["conversation_id"] for e in queue.waiting(engine=db)] == ["danger", "disclosure", "calm"]
    assert [e["risk"] for e in queue.waiting(engine=db)] == [2, 1, 0]
    again, _ = run(make_tracker([user_event("request_human")], sender="calm"))  # asking again keeps its place
    assert again[0][2] == 3 and again[0][3] == "30 minutes"


def test_no_staff_is_unavailable_with_child_routes_and_no_pause(db):
    messages, events = run(make_tracker([user_event("request_human")], {"audience": "child"}))
    assert messages == [
        ("utter_handoff_unavailable_no_staff", {"data": {"handoff": {"status": "unavailable", "reason": "no_staff"}}},
         None, None),
        ("utter_route_999", None, None, None),
        ("utter_route_childline", None, None, None),
    ]
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_status", "value": "unavailable"}]
    assert queue.waiting(engine=db) == []


def test_agent_away_or_signed_out_counts_as_nobody(db):
    user = present_agent(db)
    staff.set_available(user["id"], False, db)
    assert run(make_tracker([user_event("request_human")]))[0][0][0] == "utter_handoff_unavailable_no_staff"
    staff.set_available(user["id"], True, db)
    with db.begin() as conn:
        conn.execute(__import__("handoff.db", fromlist=["x"]).sessions_table.delete())
    assert run(make_tracker([user_event("request_human")]))[0][0][0] == "utter_handoff_unavailable_no_staff"


def test_out_of_hours_is_unavailable_even_with_staff(db):
    present_agent(db)
    settings.put(settings.HOURS, "never", db)
    messages, events = run(make_tracker([user_event("request_human", channel="rest")], {"audience": "adult"}))
    assert messages == [
        ("utter_handoff_unavailable_out_of_hours", {"handoff": {"status": "unavailable", "reason": "out_of_hours"}},
         None, None),
        ("utter_route_999", None, None, None),
        ("utter_route_nspcc_helpline", None, None, None),
    ]
    assert events[-1]["value"] == "unavailable"


def test_database_down_still_answers_honestly(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    messages, events = run(make_tracker([user_event("request_human")]))
    assert messages[0][0] == "utter_handoff_unavailable_no_staff"
    assert [m[0] for m in messages[1:]] == ["utter_route_999", "utter_route_childline", "utter_route_nspcc_helpline"]
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_status", "value": "unavailable"}]


def test_claimed_conversation_asking_again_stays_with_the_person(db):
    present_agent(db)
    tracker = make_tracker([user_event("request_human")])
    run(tracker)
    assert queue.claim(tracker.sender_id, "agent-one", db)[0]
    messages, events = run(make_tracker([user_event("request_human")], sender=tracker.sender_id))
    assert messages == [("utter_handoff_connected", {"data": {"handoff": {"status": "connected"}}}, None, None)]
    assert events[-1] == {"event": "pause", "timestamp": None}
