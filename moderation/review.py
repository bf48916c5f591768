"""What moderators record on a conversation: reviewed or not, tags, notes.

Notes and tags are moderators' own words, but they are run through the same redactor as the
conversations before they are stored, so nobody's identifiers end up here either."""
from __future__ import annotations

import time
from typing import Optional

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from moderation import tables
from moderation.queries import TAG
from moderation.tables import conversations as c

MAX_NOTE = 2000


class ReviewError(ValueError):
    pass


def _redact(text: str) -> str:
    from redaction.redactor import redact
    return redact(text)


def set_reviewed(conversation_id: str, reviewed: bool, by: str, engine: Optional[Engine] = None) -> bool:
    engine = engine or tables.get_engine()
    values = {"reviewed_at": time.time(), "reviewed_by": by} if reviewed else {"reviewed_at": None, "reviewed_by": None}
    with engine.begin() as conn:
        return conn.execute(update(c).where(c.c.conversation_id == conversation_id).values(**values)).rowcount == 1


def clean_tag(tag: str) -> str:
    tag = " ".join((tag or "").lower().split())
    if not TAG.match(tag):
        raise ReviewError("a tag is 1-32 letters, digits, spaces, - or _")
    redacted = _redact(tag)
    if redacted != tag:
        raise ReviewError("a tag must not identify anyone")
    return tag


def add_tag(conversation_id: str, tag: str, by: str, engine: Optional[Engine] = None) -> str:
    engine = engine or tables.get_engine()
    tag = clean_tag(tag)
    with engine.begin() as conn:
        present = conn.execute(select(tables.tags.c.tag).where(tables.tags.c.conversation_id == conversation_id,
                                                               tables.tags.c.tag == tag)).first()
        if present is None:
            conn.execute(tables.tags.insert().values(conversation_id=conversation_id, tag=tag, added_by=by,
                                                     added_at=time.time()))
    return tag


def remove_tag(conversation_id: str, tag: str, engine: Optional[Engine] = None) -> bool:
    engine = engine or tables.get_engine()
    with engine.begin() as conn:
        return conn.execute(delete(tables.tags).where(tables.tags.c.conversation_id == conversation_id,
                                                      tables.tags.c.tag == (tag or "").strip().lower())).rowcount > 0


def add_note(conversation_id: str, text: str, by: str, engine: Optional[Engine] = None) -> str:
    engine = engine or tables.get_engine()
    text = (text or "").strip()
    if not text:
        raise ReviewError("the note is empty")
    if len(text) > MAX_NOTE:
        raise ReviewError(f"the note is longer than {MAX_NOTE} characters")
    if "\x00" in text:
        raise ReviewError("the note contains a NUL character")
    stored = _redact(text)
    with engine.begin() as conn:
        conn.execute(tables.notes.insert().values(conversation_id=conversation_id, author=by, at=time.time(),
                                                  text=stored))
    return stored
