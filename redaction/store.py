"""RedactingSQLTrackerStore: Rasa's SQL tracker store (SQLite, PostgreSQL) that redacts before it writes.

Configure it in ``endpoints.yml``::

    tracker_store:
      type: redaction.store.RedactingSQLTrackerStore
      dialect: "sqlite"
      db: "${SAFEGUARD_SQLITE_PATH}"

How it keeps the conversation working: Rasa keeps the tracker in memory for the whole turn
(NLU, rules, actions all see the original text) and calls ``save`` once at the end; only the
events written to the database and sent to an event broker are redacted copies. The next turn
rebuilds the tracker from stored events, which still carry everything the dialogue uses:
intents, confidences, action names, categorical slots and the ``age``/``school_year``/``role``
entities. Every event is stored (one row each), so Rasa's count of stored events stays right.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import time
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.event_cache import StoredEventCache
from redaction.events import NOTHING_KNOWN, Known, redact_event
from redaction.redactor import get_redactor

logger = logging.getLogger(__name__)
STORED_ROWS = "_safeguard_stored_rows"  # set on trackers read by this store: how many rows they were read from


class RedactedEvent:
    """What SQLTrackerStore.save and the broker publishing read from an event, redacted."""

    def __init__(self, event: Event, known: Known = NOTHING_KNOWN) -> None:
        self.type_name = event.type_name
        self._data = redact_event(event.as_dict(), known)

    def as_dict(self) -> Dict[str, Any]:
        return self._data


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store whose stored and published events are redacted copies."""

    redacts = True

    def __init__(self, domain: Optional[Domain] = None, dialect: Text = "sqlite", host: Optional[Text] = None,
                 port: Optional[int] = None, db: Text = "rasa.db", username: Text = None, password: Text = None,
                 event_broker: Optional[EventBroker] = None, login_db: Optional[Text] = None,
                 query: Optional[Dict] = None, **kwargs: Any) -> None:
        get_redactor()  # build the analyzer now: a broken redactor must fail at start-up, not mid-conversation
        if dialect != "sqlite":
            _wait_for_database(self.get_db_url(dialect, host, port, login_db or db, username, password, None, query))
        super().__init__(domain=domain, dialect=dialect, host=host, port=port, db=db, username=username,
                         password=password, event_broker=event_broker, login_db=login_db, query=query, **kwargs)
        logger.info("Redacting tracker store ready (%s)", self.engine.dialect.name)

        if self.engine.dialect.name == "sqlite":
            self.engine = _sqlite_engine(self.engine)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._verify_table()
        self.event_cache = StoredEventCache()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """The latest session is read through the event cache (redaction/event_cache.py)."""
        if fetch_events_from_all_sessions or not self.domain:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            events, rows = self._latest_session_events(session, sender_id)
        if not events:
            return None
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        if rows == len(events):  # every row became an event: the count the save needs is known
            setattr(tracker, STORED_ROWS, rows)
        return tracker

    def _latest_session_events(self, session: Any, sender_id: Text) -> Tuple[List[Event], int]:
        table = self.SQLEvent
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        known = self.event_cache.known_ids(sender_id)
        after = known[-1] if known else -1
        # the ids of the session's rows, and the data only of rows not already parsed
        rows = query.with_entities(table.id, sa.case((table.id > after, table.data), else_=sa.null())).all()
        ids = [row[0] for row in rows]

        def parse_new(held: int) -> List[Event]:
            return deserialise_events([json.loads(row[1]) for row in rows[held:]])

        def parse_all() -> Any:
            fresh = query.with_entities(table.id, table.data).all()
            return [row[0] for row in fresh], deserialise_events([json.loads(row[1]) for row in fresh])

        return self.event_cache.events_for(sender_id, ids, parse_new, parse_all)

    def _verify_table(self) -> None:
        """Rasa only logs a failure to create its table; a store that cannot write must not start."""
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE 1 = 0"))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        known = _known_identifiers(tracker)
        for event in self._unstored_events(session, tracker):
            yield RedactedEvent(event, known)

    def _unstored_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events after those stored. Rasa counts the stored rows with a query; for a tracker this
        store read (latest session), the count is known from the read (the lock store keeps other
        processes off a conversation during a turn) and the query is skipped. Any other tracker (a
        new conversation, a copy, one read across all sessions) is counted as Rasa does."""
        stored = getattr(tracker, STORED_ROWS, None)
        if stored is not None and stored <= len(tracker.events):
            return itertools.islice(tracker.events, stored, len(tracker.events))
        return super()._additional_events(session, tracker)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        self._streaming_known = _known_identifiers(tracker)
        try:
            await super().stream_events(tracker)
        finally:
            self._streaming_known = NOTHING_KNOWN

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: Text) -> None:
        known = getattr(self, "_streaming_known", NOTHING_KNOWN)
        redacted = [e if isinstance(e, RedactedEvent) else RedactedEvent(e, known) for e in new_events]
        await super()._stream_new_events(event_broker, redacted, sender_id)


def _known_identifiers(tracker: DialogueStateTracker) -> Known:
    """Identifiers the user typed in this session's events (earlier turns are already redacted)."""
    return Known.from_texts(getattr(e, "text", None) for e in tracker.events if e.type_name == "user")


def _sqlite_engine(engine: Any) -> Any:
    """The SQLite engine Rasa made, replaced by one that keeps its connections open and uses WAL.

    SQLAlchemy 1.4 opens and closes a new SQLite connection for every session (NullPool); a small
    pool avoids that on every read and write. WAL mode: readers (staff console, moderators) never
    block the assistant's writes, and a commit appends to the log instead of rewriting pages.
    synchronous=NORMAL keeps every committed turn through a crash of any process; only a power cut
    or OS crash can lose the last commits (docs/scaling.md)."""
    url = engine.url
    engine.dispose()

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    pooled = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=4, max_overflow=4,
                              connect_args={"check_same_thread": False})
    sa.event.listen(pooled, "connect", pragmas)
    return pooled


def _wait_for_database(url: Any) -> None:
    """Rasa's SQL store retries a missing server for ever; fail after SAFEGUARD_DB_WAIT seconds instead."""
    deadline = time.monotonic() + float(os.environ.get("SAFEGUARD_DB_WAIT", "30"))
    engine = sa.create_engine(url)
    try:
        while True:
            try:
                with engine.connect():
                    return
            except sa.exc.OperationalError as error:
                if time.monotonic() > deadline:
                    raise ConnectionError(f"cannot reach the tracker store database: {error.orig}") from error
                time.sleep(1)
    finally:
        engine.dispose()
