"""The redacting SQL tracker store, made to ride out a database restart (scaled-out profile).

Rasa's SQL store keeps pooled connections that die when PostgreSQL restarts, and Rasa's
FailSafeTrackerStore then turns a failed read into a *new* conversation (slots and audience
lost, a second session written on top of the old one) and a failed write into a reply that is
never stored. This store:
- checks pooled connections before use (``pool_pre_ping``), so a restart costs no request;
- retries a read or write that fails on a database error for up to SAFEGUARD_DB_RETRY seconds
  (default 20), which covers a restart or fail-over;
- if it still fails: marks the turn failed (scaled.failures, the REST channel answers 503) and
  refuses to write that conversation in this turn, so a half-known tracker never overwrites it.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable, Optional, Set, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.store import RedactingSQLTrackerStore
from scaled import failures

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRYABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)


class StoreUnavailable(RuntimeError):
    pass


class ResilientRedactingSQLTrackerStore(RedactingSQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.retry_seconds = float(os.environ.get("SAFEGUARD_DB_RETRY", "20"))
        self._unreadable: Set[str] = set()

    async def _with_retries(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                return await call()
            except RETRYABLE as error:
                if time.monotonic() > deadline:
                    failures.mark(f"tracker store unavailable ({what})")
                    logger.error("tracker store %s failed after retries: %s", what, type(error).__name__)
                    raise StoreUnavailable(f"tracker store {what} failed: {type(error).__name__}") from error
                logger.warning("tracker store %s failed (%s); retrying", what, type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            tracker = await self._with_retries("read", lambda: super(ResilientRedactingSQLTrackerStore, self).retrieve(sender_id))
        except StoreUnavailable:
            self._unreadable.add(sender_id)
            raise
        self._unreadable.discard(sender_id)
        return tracker

    async def retrieve_full_tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return await self._with_retries(
            "read", lambda: super(ResilientRedactingSQLTrackerStore, self).retrieve_full_tracker(sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.sender_id in self._unreadable:
            # This turn started from an empty tracker because the stored one could not be read:
            # writing it would append a second, blank conversation to the real one.
            self._unreadable.discard(tracker.sender_id)
            failures.mark("tracker store unavailable (read)")
            raise StoreUnavailable("not saving a conversation that could not be read")
        await self._with_retries("write", lambda: super(ResilientRedactingSQLTrackerStore, self).save(tracker))
