"""A per-request marker that the turn could not be handled or stored, shared by the store and the REST channel.

Rasa wraps the tracker store in a FailSafeTrackerStore that swallows store errors (a failed
retrieve starts a fresh conversation, a failed save goes to memory) and the REST channel answers
200 whatever happened. The scaled store and REST channel use this marker instead, so a message
that could not be handled or stored gets a clear 503 instead of a reply that was never stored.
"""
from __future__ import annotations

from contextvars import ContextVar
from typing import Optional

_FAILURE: ContextVar[Optional[str]] = ContextVar("safeguard_turn_failure", default=None)


def reset() -> None:
    _FAILURE.set(None)


def mark(reason: str) -> None:
    if _FAILURE.get() is None:
        _FAILURE.set(reason)


def current() -> Optional[str]:
    return _FAILURE.get()
