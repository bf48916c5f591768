"""A conversation that is with a person, or waiting for one, keeps its session however long the user is quiet.

Rasa starts a new session when a user writes after `session_expiration_time` (60 minutes in
domain.yml) without writing, and a new session forgets that the conversation was paused: a child
still waiting in the queue, or still talking to a member of staff, would get the assistant's automatic
replies again, alongside the person. So, in the Rasa process, a session that would expire is kept
while the conversation is paused and the queue holds an open entry for it (waiting or claimed). Only
staff end a handoff (the console resumes the conversation); an entry that is gone (ended, or purged
by retention) lets the session expire as usual, so nobody stays silenced for good.

The queue is read only on that rare path (paused and past the expiry time). If it cannot be read,
the pause is kept: it was set when a person was asked for, and only staff can end it.
`install()` is called by the Rasa launcher (`redaction/serve.py`) before Rasa starts.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from handoff import queue

logger = logging.getLogger(__name__)


def held_by_staff(tracker: Any, open_entry: Callable[[str], Any] = queue.active) -> bool:
    """True when the conversation is paused for a person and the queue still holds it (or cannot be read)."""
    if not tracker.is_paused():
        return False
    try:
        return open_entry(tracker.sender_id) is not None
    except Exception:  # the database is down: keep the person's conversation paused
        logger.exception("handoff queue unreadable at session expiry; the conversation stays paused")
        return True


def install() -> None:
    """Keep the sessions of conversations held by staff from expiring in this process (idempotent)."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._has_session_expired
    if getattr(original, "keeps_handoffs", False):
        return

    def _has_session_expired(self: MessageProcessor, tracker: Any) -> bool:
        return original(self, tracker) and not held_by_staff(tracker)

    _has_session_expired.keeps_handoffs = True
    MessageProcessor._has_session_expired = _has_session_expired
