"""Tables of the moderators' side, in the same database as the conversations (SAFEGUARD_DB_URL).

``moderation_conversations`` is a summary of each conversation, kept up to date from Rasa's
``events`` table (see ``moderation.index``), with indexes that keep keyset paging on
``(last_at, conversation_id)`` fast for every filter. Reviews live on that row; tags and notes
have their own tables. ``moderation_state`` holds the index's cursor (the last events.id read).
"""
from __future__ import annotations

import logging
import threading
from typing import Set

from sqlalchemy import (Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text, exc, inspect, text)
from sqlalchemy.engine import Engine

from handoff.db import get_engine as _handoff_engine

logger = logging.getLogger(__name__)
metadata = MetaData()

FLAGS = ("danger", "disclosure", "self_harm", "handed_off", "not_understood", "pending_question")

conversations = Table(
    "moderation_conversations", metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("started_at", Float, nullable=False),
    Column("last_at", Float, nullable=False),
    Column("last_event_id", Integer, nullable=False),
    Column("user_turns", Integer, nullable=False, default=0),
    Column("audience", String(8), nullable=False, default="unknown"),  # child | adult | unknown
    *[Column(flag, Boolean, nullable=False, default=False) for flag in FLAGS],
    Column("routes", String(600), nullable=False, default=","),  # ",999,childline," (utter_route_ suffixes)
    Column("reviewed_at", Float),
    Column("reviewed_by", String(64)),
    Column("search_text", Text, nullable=False, default=""),  # lower-cased redacted user and bot text
)

KEY = (conversations.c.last_at, conversations.c.conversation_id)
Index("ix_modconv_last", *KEY)
Index("ix_modconv_audience", conversations.c.audience, *KEY)
for _flag in FLAGS:
    _column = conversations.c[_flag]
    Index(f"ix_modconv_{_flag}", *KEY, postgresql_where=_column.is_(True), sqlite_where=_column.is_(True))
Index("ix_modconv_unreviewed", *KEY, postgresql_where=conversations.c.reviewed_at.is_(None),
      sqlite_where=conversations.c.reviewed_at.is_(None))
Index("ix_modconv_reviewed", *KEY, postgresql_where=conversations.c.reviewed_at.isnot(None),
      sqlite_where=conversations.c.reviewed_at.isnot(None))

tags = Table(
    "moderation_tags", metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("tag", String(32), primary_key=True),
    Column("added_by", String(64), nullable=False),
    Column("added_at", Float, nullable=False),
)
Index("ix_modtags_tag", tags.c.tag, tags.c.conversation_id)

notes = Table(
    "moderation_notes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("author", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Column("text", Text, nullable=False),  # redacted before it is stored
)

state = Table(
    "moderation_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

# Rasa's own table (created by Rasa's SQL tracker store; we only read it).
events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

_ready: Set[str] = set()
_lock = threading.Lock()


def get_engine(url=None) -> Engine:
    """The shared engine (handoff.db), with the moderation tables created on first use."""
    engine = _handoff_engine(url)
    key = str(engine.url)
    if key not in _ready:
        with _lock:
            if key not in _ready:
                ensure(engine)
                _ready.add(key)
    return engine


def ensure(engine: Engine) -> None:
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            break
        except (exc.OperationalError, exc.ProgrammingError, exc.IntegrityError):
            if attempt == 2:
                raise
    if engine.dialect.name == "postgresql":
        _trigram_indexes(engine)


def _trigram_indexes(engine: Engine) -> None:
    """Substring search and route filters use pg_trgm GIN indexes when the extension can be had."""
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        with engine.begin() as conn:
            conn.execute(text("CREATE INDEX IF NOT EXISTS ix_modconv_text_trgm ON moderation_conversations "
                              "USING gin (search_text gin_trgm_ops)"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS ix_modconv_routes_trgm ON moderation_conversations "
                              "USING gin (routes gin_trgm_ops)"))
    except (exc.OperationalError, exc.ProgrammingError) as error:
        logger.warning("pg_trgm not available, search scans the summary table: %s", type(error).__name__)


def has_events(engine: Engine) -> bool:
    try:
        return inspect(engine).has_table("events")
    except exc.SQLAlchemyError:
        return False
