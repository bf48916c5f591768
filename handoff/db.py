"""Tables for the handoff queue and the staff console, in the same database as the tracker store.

SQLAlchemy 1.4 Core; works on SQLite (default) and PostgreSQL. Times are UNIX seconds (float).
"""
from __future__ import annotations

import threading
from typing import Dict, Optional

from sqlalchemy import (Boolean, Column, Float, Integer, MetaData, String, Table, Text, create_engine,
                        event, exc)
from sqlalchemy.engine import Engine

from handoff import config

metadata = MetaData()

queue_table = Table(
    "handoff_queue", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("channel", String(64), nullable=False, default=""),
    Column("audience", String(16)),
    Column("topic", String(32)),
    Column("risk", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False, index=True),  # waiting | claimed | ended
    Column("requested_at", Float, nullable=False),
    Column("claimed_at", Float),
    Column("claimed_by", String(64)),
    Column("ended_at", Float),
    Column("ended_by", String(64)),
)

users_table = Table(
    "staff_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("available", Boolean, nullable=False, default=False),
    Column("last_seen_at", Float),
    Column("created_at", Float, nullable=False),
)

sessions_table = Table(
    "staff_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_seen_at", Float, nullable=False),
)

failures_table = Table(
    "staff_signin_failures", metadata,
    Column("key", String(160), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("first_at", Float, nullable=False),
    Column("last_at", Float, nullable=False),
)

audit_table = Table(
    "staff_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("conversation_id", String(255)),
    Column("detail", Text),
)

settings_table = Table(
    "handoff_settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

_engines: Dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def get_engine(url: Optional[str] = None) -> Engine:
    """One engine per URL per process; tables are created on first use."""
    url = url or config.db_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, future=True, pool_pre_ping=True)
            _create_tables(engine)
            _engines[url] = engine
        return engine


def _create_tables(engine: Engine) -> None:
    # Several processes start at once (actions, console); a concurrent create can race.
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            return
        except (exc.OperationalError, exc.ProgrammingError, exc.IntegrityError):
            if attempt == 2:
                raise


def dispose_all() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
