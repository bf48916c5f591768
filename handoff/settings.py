"""Small key/value settings stored in the database (e.g. opening hours set by an admin)."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine

from handoff.db import get_engine, settings_table as s

HOURS = "hours"


def get(key: str, engine: Optional[Engine] = None) -> Optional[str]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        return conn.execute(select(s.c.value).where(s.c.key == key)).scalar()


def put(key: str, value: Optional[str], engine: Optional[Engine] = None) -> None:
    """Store ``value`` (None removes the setting, so the environment default applies again)."""
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(s.delete().where(s.c.key == key))
        if value is not None:
            conn.execute(s.insert().values(key=key, value=value))
