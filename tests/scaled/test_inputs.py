"""Socket.io across processes, and fuzzing of the REST and socket.io inputs (hypothesis)."""
from __future__ import annotations

import json
import queue
import uuid

import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scaled.helpers import reply_texts, say, stored_texts
from tests.support import http

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30)
huge_text = st.integers(min_value=5_000, max_value=300_000).map(lambda n: "x" * n)
messages = st.text() | huge_text | json_values
bodies = (st.fixed_dictionaries({"sender": st.text(max_size=300) | json_values, "message": messages})
          | json_values)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)


class SocketUser:
    def __init__(self, url: str, origin: str):
        self.events: "queue.Queue" = queue.Queue()
        self.client = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        self.client.on("bot_uttered", lambda data: self.events.put(("bot", data)))
        self.client.on("session_confirm", lambda data: self.events.put(("session", data)))
        self.client.connect(url, transports=["websocket"], wait_timeout=30)
        self.session = f"sock-{uuid.uuid4().hex[:10]}"
        self.client.emit("session_request", {"session_id": self.session})
        assert self.next("session") == self.session

    def next(self, kind: str, timeout: float = 30.0):
        while True:
            got, data = self.events.get(timeout=timeout)
            if got == kind:
                return data

    def close(self):
        self.client.disconnect()


def test_message_for_a_socket_reaches_it_through_the_other_process(scaled):
    first, second = scaled.rasa_urls()
    user = SocketUser(first, scaled.webchat_origin)
    try:
        status, _ = http("POST", f"{second}/conversations/{user.session}/tracker/events"
                                 f"?output_channel=socketio&execute_side_effects=true&token={scaled.token}",
                         {"event": "bot", "text": "A member of staff has joined."})
        assert status == 200
        assert user.next("bot")["text"] == "A member of staff has joined."
        user.client.emit("user_uttered", {"message": "hi", "session_id": user.session})
        assert user.next("bot").get("text")
    finally:
        user.close()


def _healthy_conversation_works(url: str, token_user: str, db) -> None:
    status, replies = say(url, token_user, "is this confidential")
    assert status == 200 and reply_texts(replies)


def test_fuzz_rest_input(scaled):
    urls = scaled.rasa_urls()
    bystander = f"bystander-{uuid.uuid4().hex[:8]}"
    assert say(urls[0], bystander, "im 12")[0] == 200

    @FUZZ
    @given(body=bodies, raw=st.booleans(), garbage=st.binary(max_size=200))
    def check(body, raw, garbage):
        payload = garbage if raw else json.dumps(body).encode()
        status, answer = http("POST", f"{urls[0]}/webhooks/rest/webhook", raw=payload, timeout=60)
        assert status < 500, (status, answer, payload[:200])

    check()
    for url in urls:
        assert http("GET", f"{url}/")[0] == 200
    _healthy_conversation_works(urls[1], bystander, scaled.db)
    assert stored_texts(scaled.db, bystander, "user") == ["im 12", "is this confidential"]


def test_fuzz_socketio_input(scaled):
    urls = scaled.rasa_urls()
    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": scaled.webchat_origin})
    client.connect(urls[1], transports=["websocket"], wait_timeout=30)

    @FUZZ
    @given(data=st.fixed_dictionaries({"message": messages, "session_id": st.text(max_size=50) | json_values,
                                       "customData": json_values}) | json_values)
    def check(data):
        client.emit("user_uttered", data)

    try:
        check()
    finally:
        client.disconnect()
    for url in urls:
        assert http("GET", f"{url}/")[0] == 200
    user = SocketUser(urls[1], scaled.webchat_origin)
    try:
        user.client.emit("user_uttered", {"message": "hi", "session_id": user.session})
        assert user.next("bot", timeout=120).get("text")
    finally:
        user.close()
    _healthy_conversation_works(urls[0], f"after-fuzz-{uuid.uuid4().hex[:6]}", scaled.db)
