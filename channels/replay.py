"""Remember which platform message ids we have already accepted, to refuse replays.

Stored in the project database (env SAFEGUARD_DB_URL, the same database as the tracker store) so
that it survives restarts and is shared by every Rasa process. Only the platform's own message
id is kept (Telegram update_id, Messenger mid, Twilio MessageSid), never text or sender. The
store is bounded in time: ids older than CHANNEL_REPLAY_DAYS (default 30) are pruned now and then.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Optional

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, insert
from sqlalchemy.exc import IntegrityError

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:///var/rasa.db"
PRUNE_EVERY = 500

metadata = MetaData()
seen_table = Table(
    "channel_seen_messages", metadata,
    Column("platform", String(16), primary_key=True),
    Column("message_id", String(255), primary_key=True),
    Column("seen_at", Float, nullable=False, index=True),
)


def database_url(url: Optional[str] = None) -> str:
    url = url or os.environ.get("SAFEGUARD_DB_URL") or DEFAULT_URL
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        url = prefix + str(ROOT / url[len(prefix):])
    return url


class SeenStore:
    def __init__(self, url: Optional[str] = None, days: Optional[float] = None):
        self.url = database_url(url)
        self.window = 86400 * float(days if days is not None else os.environ.get("CHANNEL_REPLAY_DAYS", 30))
        self._engine = None
        self._lock = threading.Lock()
        self._inserts = 0

    @property
    def engine(self):
        with self._lock:
            if self._engine is None:
                args = {"connect_args": {"timeout": 15}} if self.url.startswith("sqlite") else {"pool_pre_ping": True}
                self._engine = create_engine(self.url, future=True, **args)
                metadata.create_all(self._engine)
            return self._engine

    def first_time(self, platform: str, message_id: str) -> bool:
        """Record the id; True when it had not been seen before (the request may go ahead)."""
        message_id = str(message_id)[:255]
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(seen_table).values(platform=platform, message_id=message_id, seen_at=time.time()))
        except IntegrityError:
            return False
        self._inserts += 1
        if self._inserts % PRUNE_EVERY == 1:
            self.prune()
        return True

    def prune(self) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(delete(seen_table).where(seen_table.c.seen_at < time.time() - self.window))
        return result.rowcount or 0


_store: Optional[SeenStore] = None


def store() -> SeenStore:
    global _store
    if _store is None:
        _store = SeenStore()
    return _store
