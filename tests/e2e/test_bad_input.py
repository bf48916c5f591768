"""Bad input over REST and socket.io: a clear, safe reply or a 4xx; never a 5xx or a crash,
and the server keeps answering other people."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import socketio

from tests.support import RestUser, http

WEIRD_TEXTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "emoji only": "😢😢😢🙏",
    "binary-looking": "\x00\x01\x02\xff\xfe PK\x03\x04 \x1b[31m",
    "another language": "Hola, mi padre me pega y tengo miedo",
    "hostile markup": "<script>alert(1)</script> '; DROP TABLE events; -- {{7*7}} ${jndi:ldap://x}",
    "twenty thousand characters": ("blah " * 4000)[:20_000],
    "rtl and zero-width": "\u202e\u200b\u200d hello \u2066",
}


def webhook(rasa_url):
    return f"{rasa_url}/webhooks/rest/webhook"


@pytest.mark.parametrize("name", list(WEIRD_TEXTS))
def test_odd_text_gets_a_clear_reply(rasa_url, name):
    status, replies = http("POST", webhook(rasa_url), {"sender": f"bad-{uuid.uuid4().hex[:8]}",
                                                        "message": WEIRD_TEXTS[name]}, timeout=120)
    assert status == 200, (status, replies)
    assert replies and all(r.get("text") or r.get("buttons") or r.get("custom") for r in replies)
    assert all("Traceback" not in json.dumps(r) for r in replies)


def test_danger_at_the_end_of_twenty_thousand_characters_is_still_found(rasa_url):
    text = ("i had a normal day at school " * 700)[:19_900] + " hes got a knife and hes coming for me"
    status, replies = http("POST", webhook(rasa_url), {"sender": f"long-{uuid.uuid4().hex[:8]}", "message": text},
                           timeout=120)
    assert status == 200
    assert "call 999" in replies[0]["text"]


@pytest.mark.parametrize("raw,expected", [
    (b"{not json", 400),
    (b"[]", 400),
    (b'"just a string"', 400),
    (b"\xff\xfe\x00binary", 400),
    (b"", 400),
    (json.dumps({"message": "hi"}).encode(), 400),                          # no sender: never a shared conversation
    (json.dumps({"sender": "x"}).encode(), 400),                            # no message
    (json.dumps({"sender": "x", "message": 123}).encode(), 400),
    (json.dumps({"sender": "x", "message": ["a"]}).encode(), 400),
    (json.dumps({"sender": {"a": 1}, "message": "hi"}).encode(), 400),
    (json.dumps({"sender": "x", "message": "hi", "metadata": "nope"}).encode(), 400),
    (json.dumps({"sender": "x", "message": "a" * 20_001}).encode(), 413),
    (json.dumps({"sender": "x" * 500, "message": "hi"}).encode(), 400),
])
def test_malformed_requests_get_a_4xx_with_a_reason(rasa_url, raw, expected):
    status, body = http("POST", webhook(rasa_url), raw=raw)
    assert status == expected, body
    assert isinstance(body, dict) and body.get("error")


def test_server_keeps_answering_after_bad_input(rasa_url):
    for raw in (b"{", b"[]", b"\x00" * 1000):
        http("POST", webhook(rasa_url), raw=raw)
    replies = RestUser(rasa_url).say("hi")
    assert replies and "computer program" in replies[0]["text"]


def test_socketio_bad_input_never_brings_the_server_down(rasa_url):
    bad = socketio.Client(reconnection=False)
    answers = []
    bad.on("bot_uttered", lambda data: answers.append(data))
    bad.connect(rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=20)
    bad.emit("session_request", "not a dict")
    malformed = ("a string", 123, None, ["list"], {"message": 5, "session_id": "x"},
                 {"message": "hi"}, {"message": "x" * 30_000, "session_id": "y"}, {"session_id": {"a": 1}})
    for payload in malformed:
        bad.emit("user_uttered", payload)
    deadline = time.monotonic() + 20
    while len(answers) < len(malformed) and time.monotonic() < deadline:
        time.sleep(0.2)
    bad.disconnect()
    texts = [a.get("text", "") for a in answers]
    assert len(texts) == len(malformed), texts
    assert sum("couldn't read that message" in t for t in texts) == len(malformed) - 1
    assert sum("too long" in t for t in texts) == 1

    good = socketio.Client(reconnection=False)
    replies = []
    good.on("bot_uttered", lambda data: replies.append(data))
    good.connect(rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=20)
    session = uuid.uuid4().hex
    good.emit("session_request", {"session_id": session})
    time.sleep(0.5)
    good.emit("user_uttered", {"message": "hi", "session_id": session})
    deadline = time.monotonic() + 30
    while not replies and time.monotonic() < deadline:
        time.sleep(0.2)
    good.disconnect()
    assert replies and "computer program" in replies[0]["text"]
    status, _ = http("POST", f"{rasa_url}/webhooks/rest/webhook", {"sender": "after-bad", "message": "hi"})
    assert status == 200


def test_conversation_api_refuses_anyone_without_the_token(stack):
    for url in (f"{stack.rasa_url}/conversations/x/tracker", f"{stack.rasa_url}/conversations/x/tracker?token=wrong",
                f"{stack.rasa_url}/status"):
        status, _ = http("GET", url)
        assert status in (401, 403), url
    status, _ = http("GET", f"{stack.rasa_url}/conversations/x/tracker?token={stack.token}")
    assert status == 200
