"""Keeps ``moderation_conversations`` up to date from Rasa's ``events`` table.

``refresh()`` reads events newer than the stored cursor, and recomputes the summary of every
conversation they belong to from all of that conversation's events (so running it twice, or
over an overlap, gives the same rows). The cursor moves with a compare-and-set, so two console
processes refreshing at once cannot both apply the same batch. PostgreSQL can make rows with a
lower id visible after higher ones (concurrent transactions), so each pass re-reads an overlap
of OVERLAP ids below the cursor. Called by the list and export pages, and by
``python -m moderation index`` (schedule it, or run it once after restoring a database).

It also drops summaries, tags and notes older than the retention limit (redaction.retention).
"""
from __future__ import annotations

import time
from typing import Dict, Iterable, List, Optional

from sqlalchemy import delete, exc, func, select, update
from sqlalchemy.engine import Connection, Engine

from moderation import tables
from moderation.summary import summarise
from moderation.tables import conversations as c, events as e

CURSOR = "events_cursor"
OVERLAP = 500
BATCH = 5000
SUMMARY_COLUMNS = ("started_at", "last_at", "last_event_id", "user_turns", "audience", *tables.FLAGS, "routes",
                   "search_text")
_last_prune: Dict[str, float] = {}


def _cursor(conn: Connection) -> Optional[int]:
    return conn.execute(select(tables.state.c.value).where(tables.state.c.key == CURSOR)).scalar()


def _move_cursor(conn: Connection, old: Optional[int], new: int) -> bool:
    if old is None:
        try:
            conn.execute(tables.state.insert().values(key=CURSOR, value=new))
            return True
        except Exception:  # another process inserted it first
            return False
    done = conn.execute(update(tables.state).where(tables.state.c.key == CURSOR, tables.state.c.value == old)
                        .values(value=new))
    return done.rowcount == 1


def events_of(conn: Connection, conversation_ids: Iterable[str]) -> Dict[str, List]:
    ids = list(conversation_ids)
    found: Dict[str, List] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(e).where(e.c.sender_id.in_(ids[start:start + 500])).order_by(e.c.id)).mappings()
        for row in rows:
            found[row["sender_id"]].append(row)
    return found


def store_summaries(conn: Connection, rows_by_conversation: Dict[str, List]) -> int:
    """Write the summaries of these conversations (insert or update; reviews are kept)."""
    summaries = [s for s in (summarise(cid, rows) for cid, rows in rows_by_conversation.items()) if s]
    if not summaries:
        return 0
    ids = [s["conversation_id"] for s in summaries]
    existing = set()
    for start in range(0, len(ids), 500):
        existing.update(conn.execute(select(c.c.conversation_id).where(c.c.conversation_id.in_(ids[start:start + 500])))
                        .scalars())
    new = [s for s in summaries if s["conversation_id"] not in existing]
    if new:
        conn.execute(c.insert(), new)
    for s in summaries:
        if s["conversation_id"] in existing:
            conn.execute(update(c).where(c.c.conversation_id == s["conversation_id"])
                         .values({k: s[k] for k in SUMMARY_COLUMNS}))
    return len(summaries)


def refresh_one(conversation_id: str, engine: Optional[Engine] = None) -> List:
    """Recompute one conversation's summary; returns its events rows (oldest first)."""
    engine = engine or tables.get_engine()
    if not tables.has_events(engine):
        return []
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                rows = events_of(conn, [conversation_id])[conversation_id]
                store_summaries(conn, {conversation_id: rows})
            return rows
        except exc.IntegrityError:  # a refresh inserted it meanwhile
            if attempt:
                raise
    return []


def refresh(engine: Optional[Engine] = None, max_batches: Optional[int] = None) -> int:
    """Bring the summaries up to date (at most ``max_batches`` passes). Returns conversations updated."""
    engine = engine or tables.get_engine()
    prune(engine)
    if not tables.has_events(engine):
        return 0
    updated, batches = 0, 0
    while max_batches is None or batches < max_batches:
        batches += 1
        try:
            done, count = _one_pass(engine)
        except (_Raced, exc.IntegrityError):
            continue  # another process moved the cursor or wrote the same summary; read again
        updated += count
        if done:
            return updated
    return updated


class _Raced(Exception):
    pass


def _one_pass(engine: Engine):
    """(finished, conversations updated) for one batch of new events."""
    with engine.begin() as conn:
        cursor = _cursor(conn)
        newest = conn.execute(select(func.max(e.c.id))).scalar()
        if newest is None or (cursor is not None and newest <= cursor):
            return True, 0
        low = -1 if cursor is None else cursor - OVERLAP
        pairs = conn.execute(select(e.c.id, e.c.sender_id).where(e.c.id > low).order_by(e.c.id).limit(BATCH)).all()
        if not pairs:
            return True, 0
        high = max(pairs[-1][0], cursor if cursor is not None else -1)
        if not _move_cursor(conn, cursor, high):
            raise _Raced()
        count = store_summaries(conn, events_of(conn, {sender for _id, sender in pairs}))
    return len(pairs) < BATCH, count


def prune(engine: Engine, now: Optional[float] = None, every: float = 3600.0) -> None:
    """Drop summaries, tags and notes older than the retention limit (at most once per ``every`` s)."""
    now = time.time() if now is None else now
    key = str(engine.url)
    if now - _last_prune.get(key, 0.0) < every:
        return
    _last_prune[key] = now
    from redaction.retention import retention_days
    try:
        cutoff = now - retention_days() * 86400
    except ValueError:
        return
    with engine.begin() as conn:
        conn.execute(delete(c).where(c.c.last_at < cutoff))
        conn.execute(delete(tables.tags).where(tables.tags.c.added_at < cutoff))
        conn.execute(delete(tables.notes).where(tables.notes.c.at < cutoff))


def rebuild(engine: Optional[Engine] = None) -> int:
    """Recompute every summary from scratch (reviews, tags and notes are kept)."""
    engine = engine or tables.get_engine()
    with engine.begin() as conn:
        conn.execute(delete(tables.state).where(tables.state.c.key == CURSOR))
    return refresh(engine)
