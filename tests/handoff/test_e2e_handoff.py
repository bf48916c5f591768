"""End to end against the real servers: a socket.io user and an agent on the console's HTTP API."""
from __future__ import annotations

import json
import time

import requests

from handoff import audit
from handoff.db import get_engine
from tests.handoff.clients import texts


def _queued_and_claimable(agent, user):
    _, payload, seen = user.wait_handoff("queued")
    agent.wait_until(lambda: user.session_id in agent.waiting_ids())
    return payload, seen


def test_handoff_end_to_end(stack, signed_in, users, responses):
    agent = signed_in("agent")
    user = users()
    user.say("can i talk to a real person please")
    _, payload, seen = user.wait_handoff("queued")
    assert payload["handoff"]["position"] >= 1 and payload["handoff"]["wait_minutes"] >= 1
    assert set(payload["handoff"]) == {"status", "position", "wait_minutes"}
    rest = user.collect(1.5)
    said = texts(seen + rest)
    assert f"You're number {payload['handoff']['position']} in the queue" in said
    assert responses["utter_route_999"] in said
    # audience unknown: both 24-hour routes
    assert responses["utter_route_childline"] in said and responses["utter_route_nspcc_helpline"] in said

    # the queue shows it live
    agent.wait_until(lambda: user.session_id in agent.waiting_ids())

    # paused: the assistant stays silent, but the agent can read what the user wrote
    user.say("hello? is anyone there")
    assert user.collect(2.0) == []
    shown = agent.messages(user.session_id).json()
    assert shown["status"] == "waiting"
    assert any(m["from"] == "user" and m["text"] == "hello? is anyone there" for m in shown["messages"])
    last = shown["messages"][-1]["index"]

    # claim: the user is told a person joined
    assert agent.claim(user.session_id).status_code == 200
    _, connected, seen = user.wait_handoff("connected", timeout=5)
    assert responses["utter_handoff_connected"] in texts(seen)

    # the agent's message reaches the socket within a second
    started = time.monotonic()
    assert agent.send(user.session_id, "Hi, I'm from the team. I'm here to listen.").status_code == 200
    arrived, message, _ = user.wait_for(lambda m: m.get("text") == "Hi, I'm from the team. I'm here to listen.",
                                        timeout=5)
    assert arrived - started < 1.0

    # the user's reply appears for the agent
    user.say("thank you, it's about my brother")
    found = agent.wait_until(lambda: [m for m in agent.messages(user.session_id, last).json()["messages"]
                                      if m["from"] == "user" and m["text"] == "thank you, it's about my brother"])
    assert found
    assert user.collect(1.0) == []  # still no automatic replies while a person is chatting

    # end: resume, and the user is told the assistant is back
    assert agent.end(user.session_id).status_code == 200
    _, _, seen = user.wait_handoff("ended", timeout=5)
    assert responses["utter_handoff_ended"] in texts(seen)
    assert user.session_id not in agent.waiting_ids()
    assert agent.messages(user.session_id).status_code == 404

    # the assistant answers again
    user.say("/greet")
    _, reply, _ = user.wait_for(lambda m: bool(m.get("text")), timeout=10)
    assert reply["text"] == responses["utter_greet"]

    # who did what, when
    records = audit.for_conversation(user.session_id, engine=get_engine(stack.env()["SAFEGUARD_DB_URL"]))
    assert [(r["actor"], r["action"]) for r in records] == [
        (agent.username, "claim"), (agent.username, "message"), (agent.username, "end")]
    assert all(r["at"] > time.time() - 120 for r in records)
    assert "listen" not in " ".join(r["detail"] or "" for r in records)  # never what was typed


def test_nobody_available_gives_unavailable_and_routes(stack, signed_in, users, responses):
    agent = signed_in("agent")
    agent.set_available(False)
    child = users()
    child.say('/inform_audience{"audience":"child"}')
    child.collect(1.5)
    child.say("/request_human")
    _, payload, seen = child.wait_handoff("unavailable")
    assert payload == {"handoff": {"status": "unavailable", "reason": "no_staff"}}
    said = texts(seen + child.collect(1.5))
    assert responses["utter_handoff_unavailable_no_staff"] in said
    assert responses["utter_route_childline"] in said and responses["utter_route_999"] in said
    assert responses["utter_route_nspcc_helpline"] not in said
    assert child.session_id not in agent.waiting_ids()
    # not paused: the assistant still answers
    child.say("/greet")
    _, reply, _ = child.wait_for(lambda m: bool(m.get("text")), timeout=10)
    assert reply["text"] == responses["utter_greet"]

    adult = users()
    adult.say('/inform_audience{"audience":"adult"}')
    adult.collect(1.5)
    adult.say("/request_human")
    _, payload, seen = adult.wait_handoff("unavailable")
    said = texts(seen + adult.collect(1.5))
    assert responses["utter_route_nspcc_helpline"] in said and responses["utter_route_999"] in said
    assert responses["utter_route_childline"] not in said


def test_out_of_hours_gives_unavailable(stack, signed_in, users, responses):
    admin = signed_in("admin")
    agent = signed_in("agent")
    page = admin.get("/admin/settings")
    form = {"csrf_token": admin.csrf, "hours": "never"}
    assert admin.request("POST", "/admin/settings", data=form).status_code == 200
    try:
        user = users()
        user.say("/request_human")
        _, payload, seen = user.wait_handoff("unavailable")
        assert payload == {"handoff": {"status": "unavailable", "reason": "out_of_hours"}}
        said = texts(seen + user.collect(1.5))
        assert responses["utter_handoff_unavailable_out_of_hours"] in said
        assert responses["utter_route_999"] in said
        assert user.session_id not in agent.waiting_ids()
    finally:
        assert admin.request("POST", "/admin/settings", data={"csrf_token": admin.csrf, "hours": ""}).status_code == 200
    assert page.status_code == 200


def test_queue_order_is_risk_then_time(stack, signed_in, users):
    agent = signed_in("agent")
    first_other, second_other, disclosure, danger = users(), users(), users(), users()
    first_other.say("/request_human")
    _, first, _ = first_other.wait_handoff("queued")
    second_other.say("/request_human")
    _, second, _ = second_other.wait_handoff("queued")
    assert second["handoff"]["position"] == first["handoff"]["position"] + 1
    disclosure.say("/disclose_abuse")
    disclosure.collect(1.5)
    disclosure.say("/request_human")
    _, disclosed, _ = disclosure.wait_handoff("queued")
    danger.say("/immediate_danger")
    danger.collect(1.5)
    danger.say("/request_human")
    _, urgent, _ = danger.wait_handoff("queued")
    mine = [first_other.session_id, second_other.session_id, disclosure.session_id, danger.session_id]
    waiting = agent.queue()["waiting"]
    order = [e["conversation_id"] for e in waiting if e["conversation_id"] in mine]
    assert order == [danger.session_id, disclosure.session_id, first_other.session_id, second_other.session_id]
    risks = {e["conversation_id"]: e["risk"] for e in waiting}
    assert risks[danger.session_id] == "danger" and risks[disclosure.session_id] == "disclosure"
    assert risks[first_other.session_id] == "other"
    # each jumped the queue when it asked: nothing of higher risk was waiting
    assert urgent["handoff"]["position"] == 1
    assert disclosed["handoff"]["position"] < first["handoff"]["position"] + 2
    for user in (danger, disclosure, first_other, second_other):
        assert agent.claim(user.session_id).status_code == 200
        assert agent.end(user.session_id).status_code == 200


def test_queue_and_pause_survive_restarts(stack, signed_in, users, responses):
    agent = signed_in("agent")
    user = users()
    user.say("/request_human")
    user.wait_handoff("queued")
    agent.wait_until(lambda: user.session_id in agent.waiting_ids())
    user.collect(1.0)

    stack.stop_one("rasa")
    stack.start_one("rasa")
    stack.wait_healthy(names=["rasa"], timeout=240)
    deadline = time.monotonic() + 30
    while not user.client.connected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert user.client.connected
    time.sleep(0.5)
    assert user.drain() == []
    user.say("are you still there")
    assert user.collect(2.5) == []  # still paused after the restart
    agent.wait_until(lambda: any(m["text"] == "are you still there"
                                 for m in agent.messages(user.session_id).json()["messages"]))

    stack.stop_one("console")
    stack.start_one("console")
    stack.wait_healthy(names=["console"])
    assert user.session_id in agent.waiting_ids()  # same session cookie, same queue

    assert agent.claim(user.session_id).status_code == 200
    user.wait_handoff("connected", timeout=5)
    assert agent.send(user.session_id, "Sorry for the wait.").status_code == 200
    user.wait_for(lambda m: m.get("text") == "Sorry for the wait.", timeout=5)
    assert agent.end(user.session_id).status_code == 200
    user.wait_handoff("ended", timeout=5)
    user.say("/greet")
    _, reply, _ = user.wait_for(lambda m: bool(m.get("text")), timeout=10)
    assert reply["text"] == responses["utter_greet"]


def _go_quiet(stack, conversation_id: str, hours: float = 2.0) -> None:
    """As if the user had written nothing for `hours`: every stored event of the conversation is moved back
    in time. The rows are written afresh under ids above every existing one (SQLite would reuse the deleted ones), so
    the store's event cache (redaction/event_cache.py) reads them again."""
    from sqlalchemy import text

    shift = hours * 3600
    engine = get_engine(stack.env()["SAFEGUARD_DB_URL"])
    with engine.begin() as conn:
        last_id = conn.execute(text("SELECT MAX(id) FROM events")).scalar()
        rows = conn.execute(text("SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                                 "WHERE sender_id = :id ORDER BY id"), {"id": conversation_id}).all()
        assert rows, "nothing stored for this conversation"
        conn.execute(text("DELETE FROM events WHERE sender_id = :id"), {"id": conversation_id})
        for row_id, (type_name, timestamp, intent_name, action_name, data) in enumerate(rows, start=last_id + 1):
            event = json.loads(data)
            event["timestamp"] -= shift
            conn.execute(text("INSERT INTO events (id, sender_id, type_name, timestamp, intent_name, action_name, data) "
                              "VALUES (:row, :id, :type_name, :timestamp, :intent_name, :action_name, :data)"),
                         {"row": row_id, "id": conversation_id, "type_name": type_name, "timestamp": timestamp - shift,
                          "intent_name": intent_name, "action_name": action_name, "data": json.dumps(event)})


def _sessions_started(stack, conversation_id: str) -> int:
    tracker = requests.get(f"{stack.rasa_url}/conversations/{conversation_id}/tracker",
                           params={"token": stack.token, "include_events": "ALL"}, timeout=10).json()
    return sum(event["event"] == "session_started" for event in tracker["events"])


def test_an_hour_of_quiet_does_not_take_the_conversation_from_the_person(stack, signed_in, users, responses):
    """Rasa starts a new session after 60 quiet minutes, which would un-pause: not while staff hold it."""
    agent = signed_in("agent")

    # control: a conversation nobody holds starts a new session after two quiet hours (the ageing works)
    free = users()
    free.say("/greet")
    free.wait_for(lambda m: bool(m.get("text")), timeout=10)
    before = _sessions_started(stack, free.session_id)
    _go_quiet(stack, free.session_id)
    free.say("/greet")
    _, reply, _ = free.wait_for(lambda m: bool(m.get("text")), timeout=10)
    assert reply["text"] == responses["utter_greet"]
    assert _sessions_started(stack, free.session_id) == before + 1

    user = users()
    user.say("/request_human")
    _queued_and_claimable(agent, user)
    user.collect(1.0)
    started = _sessions_started(stack, user.session_id)

    # waiting in the queue, quiet for two hours, then writes: still waiting, the assistant stays silent
    _go_quiet(stack, user.session_id)
    user.say("sorry i fell asleep, is anyone there")
    assert user.collect(2.5) == []
    agent.wait_until(lambda: any(m["text"] == "sorry i fell asleep, is anyone there"
                                 for m in agent.messages(user.session_id).json()["messages"]))
    assert user.session_id in agent.waiting_ids()

    # talking to a person, quiet for two hours, then writes: still with the person
    assert agent.claim(user.session_id).status_code == 200
    user.wait_handoff("connected", timeout=5)
    _go_quiet(stack, user.session_id)
    user.say("/greet")
    assert user.collect(2.5) == []
    agent.wait_until(lambda: any(m["text"] == "/greet" for m in agent.messages(user.session_id).json()["messages"]))
    assert _sessions_started(stack, user.session_id) == started

    # once staff end it, the assistant is back, and the next quiet hour starts a new session as usual
    assert agent.end(user.session_id).status_code == 200
    user.wait_handoff("ended", timeout=5)
    _go_quiet(stack, user.session_id)
    user.say("/greet")
    _, reply, _ = user.wait_for(lambda m: bool(m.get("text")), timeout=10)
    assert reply["text"] == responses["utter_greet"]
    assert _sessions_started(stack, user.session_id) == started + 1
