"""handoff.sessions: Rasa's real session-expiry check, with real trackers and a real queue on SQLite."""
from __future__ import annotations

import time
import uuid
from types import SimpleNamespace

import pytest
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from handoff import queue, sessions
from handoff.db import get_engine

DOMAIN = Domain.from_dict({"session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}})
TWO_HOURS_AGO = time.time() - 2 * 3600


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    monkeypatch.setenv("SAFEGUARD_DB_URL", url)
    return get_engine(url)


@pytest.fixture
def expired(monkeypatch):
    """Rasa's own check with handoff.sessions installed; restored afterwards."""
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", MessageProcessor._has_session_expired)
    sessions.install()
    sessions.install()  # a second install must not wrap twice
    processor = SimpleNamespace(domain=DOMAIN)
    return lambda tracker: MessageProcessor._has_session_expired(processor, tracker)


def tracker(paused: bool, wrote_at: float = TWO_HOURS_AGO) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen", timestamp=wrote_at - 1),
              UserUttered("can i talk to a person", {"name": "request_human", "confidence": 1.0}, timestamp=wrote_at)]
    if paused:
        events.append(ConversationPaused(timestamp=wrote_at + 1))
    return DialogueStateTracker.from_events(uuid.uuid4().hex, events)


def test_a_quiet_conversation_still_expires(db, expired):
    assert expired(tracker(paused=False))
    assert not expired(tracker(paused=False, wrote_at=time.time() - 60))


def test_waiting_or_talking_to_a_person_keeps_the_session(db, expired):
    waiting = tracker(paused=True)
    queue.request(waiting.sender_id, "socketio", "child", "abuse", 2, engine=db)
    assert not expired(waiting)

    assert queue.claim(waiting.sender_id, "agent-one", db)[0]
    assert not expired(waiting)


def test_a_handoff_staff_ended_or_retention_purged_lets_the_session_expire(db, expired):
    ended = tracker(paused=True)
    queue.request(ended.sender_id, "socketio", None, None, 0, engine=db)
    queue.claim(ended.sender_id, "agent-one", db)
    assert queue.end(ended.sender_id, "agent-one", db)
    assert expired(ended)
    assert expired(tracker(paused=True))  # paused, but the queue holds nothing for it


def test_an_unreadable_queue_keeps_the_pause(expired, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert not expired(tracker(paused=True))
    assert expired(tracker(paused=False))  # only paused conversations ask the queue


def test_the_queue_is_asked_only_for_paused_conversations():
    asked = []
    ask = lambda sender_id: asked.append(sender_id)  # noqa: E731
    assert not sessions.held_by_staff(tracker(paused=False), ask)
    assert asked == []
    assert not sessions.held_by_staff(tracker(paused=True), ask)  # asked, and nothing is open
    assert len(asked) == 1

