"""The event cache behind the redacting store: it saves parsing, never changes what a read returns.

Each test compares the cached store's tracker with what Rasa's own SQL store reads from the same
database, so a cache that served stale, deleted or foreign rows would fail here.
"""
from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.event_cache import StoredEventCache
from redaction.store import RedactingSQLTrackerStore
from tests.redaction.helpers import ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "rasa.db")


def run(coroutine):
    return asyncio.run(coroutine)


def turn(text, intent="greet"):
    return [UserUttered(text, intent={"name": intent, "confidence": 0.9}), ActionExecuted("utter_greet"),
            BotUttered("Hello"), ActionExecuted("action_listen")]


def opening():
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def as_dicts(tracker):
    return [event.as_dict() for event in tracker.events] if tracker else None


async def say(store, sender, events):
    """One turn the way Rasa does it: read, add events, save."""
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, store.domain.slots)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def plain_read(domain, db, sender):
    return as_dicts(run(SQLTrackerStore(domain=domain, dialect="sqlite", db=db).retrieve(sender)))


def test_second_read_is_served_from_the_cache_and_equals_rasas_own_read(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c1", opening() + turn("hi")))
    first = as_dicts(run(store.retrieve("c1")))
    run(say(store, "c1", turn("hello again") + [SlotSet("audience", "child")]))
    second = run(store.retrieve("c1"))
    assert store.event_cache.hits >= 1
    assert as_dicts(second) == plain_read(domain, db, "c1")
    assert as_dicts(second)[:len(first)] == first
    assert second.get_slot("audience") == "child"
    assert second.latest_message.text == "hello again"


def test_each_turn_stores_only_its_new_events(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c8", opening() + turn("one")))
    for text in ("two", "three", "four"):
        run(say(store, "c8", turn(text)))
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT type_name, json_extract(data, '$.text') FROM events "
                                  "WHERE sender_id = 'c8' ORDER BY id").fetchall()
    assert [text for kind, text in rows if kind == "user"] == ["one", "two", "three", "four"]
    assert len(rows) == len(opening()) + 4 * len(turn("x"))
    full = run(store.retrieve_full_tracker("c8"))  # read across sessions: counted the way Rasa counts
    full.update(UserUttered("five", intent={"name": "greet"}))
    run(store.save(full))
    assert plain_read(domain, db, "c8")[-1]["text"] == "five"
    assert len(plain_read(domain, db, "c8")) == len(rows) + 1


def test_rows_written_by_another_process_are_read(domain, db):
    ours = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    theirs = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(ours, "c2", opening() + turn("hi")))
    run(ours.retrieve("c2"))  # now cached here
    run(say(theirs, "c2", turn("im 12", "inform_audience") + [SlotSet("audience", "child")]))
    tracker = run(ours.retrieve("c2"))
    assert tracker.latest_message.text == "im 12" and tracker.get_slot("audience") == "child"
    assert as_dicts(tracker) == plain_read(domain, db, "c2")


def test_deleted_rows_are_not_brought_back(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c3", opening() + turn("hi")))
    run(store.retrieve("c3"))
    with sqlite3.connect(db) as connection:  # a retention purge, from another process
        connection.execute("DELETE FROM events WHERE sender_id = 'c3'")
    assert run(store.retrieve("c3")) is None
    run(say(store, "c3", opening() + turn("back again")))
    with sqlite3.connect(db) as connection:
        texts = [row[0] for row in connection.execute(
            "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = 'c3' AND type_name = 'user'")]
    assert texts == ["back again"]  # the purged "hi" was not written back


def test_partly_deleted_rows_make_a_fresh_read(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c4", opening() + turn("one") + turn("two")))
    run(store.retrieve("c4"))
    with sqlite3.connect(db) as connection:  # a moderator removes one message row
        connection.execute("DELETE FROM events WHERE sender_id = 'c4' AND json_extract(data, '$.text') = 'one'")
    tracker = run(store.retrieve("c4"))
    assert "one" not in [getattr(e, "text", None) for e in tracker.events]
    assert as_dicts(tracker) == plain_read(domain, db, "c4")


def test_a_new_session_reads_only_the_new_session(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c5", opening() + turn("first session")))
    run(store.retrieve("c5"))
    run(say(store, "c5", opening() + turn("second session")))
    tracker = run(store.retrieve("c5"))
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["second session"]
    assert as_dicts(tracker) == plain_read(domain, db, "c5")


def test_conversations_do_not_share_events(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    for sender in ("a", "b"):
        run(say(store, sender, opening() + turn(f"hello from {sender}")))
        run(store.retrieve(sender))
    run(say(store, "a", turn("more from a")))
    assert [e.text for e in run(store.retrieve("b")).events if isinstance(e, UserUttered)] == ["hello from b"]
    assert as_dicts(run(store.retrieve("a"))) == plain_read(domain, db, "a")


def test_trackers_read_from_the_cache_are_independent(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c6", opening() + turn("hi")))
    first = run(store.retrieve("c6"))
    first.update(UserUttered("never saved", intent={"name": "greet"}))
    again = run(store.retrieve("c6"))
    assert "never saved" not in [getattr(e, "text", None) for e in again.events]


def test_the_cache_holds_only_redacted_events(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c7", opening() + turn("my number is 07700 900123", "inform_audience")))
    run(store.retrieve("c7"))
    held = store.event_cache._entries["c7"].events
    texts = " ".join(str(getattr(e, "text", "")) for e in held)
    assert "900123" not in texts and "<PHONE>" in texts


def test_idle_entries_expire_and_the_size_is_bounded():
    now = [0.0]
    cache = StoredEventCache(size=2, ttl=60, clock=lambda: now[0])
    events = [BotUttered("x")]

    def fresh(ids):
        return lambda: (ids, events * len(ids))

    cache.events_for("a", [1], lambda n: [], fresh([1]))
    cache.events_for("b", [2], lambda n: [], fresh([2]))
    cache.events_for("c", [3], lambda n: [], fresh([3]))
    assert len(cache) == 2 and cache.known_ids("a") == []  # least recently used went first
    assert cache.known_ids("c") == [3]
    now[0] = 61
    assert cache.known_ids("c") == []  # idle past the TTL
    off = StoredEventCache(size=0, ttl=60)
    off.events_for("a", [1], lambda n: [], fresh([1]))
    assert len(off) == 0


def test_a_row_that_does_not_parse_is_not_cached():
    cache = StoredEventCache(size=10, ttl=60)
    events, rows = cache.events_for("a", [1, 2], lambda n: [], lambda: ([1, 2], [BotUttered("only one parsed")]))
    assert cache.known_ids("a") == [] and (len(events), rows) == (1, 2)  # the store then counts rows as Rasa does


def test_sqlite_store_keeps_pooled_connections_in_write_ahead_log_mode(domain, db):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    run(say(store, "c9", opening() + turn("hi")))
    with sqlite3.connect(db) as connection:  # WAL is a property of the database file
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert type(store.engine.pool).__name__ == "QueuePool"  # not a new connection per session
