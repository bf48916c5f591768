"""Who did what, when: staff actions on conversations and accounts. Never stores what anyone typed."""
from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine

from handoff.db import audit_table as a, get_engine


def record(actor: str, action: str, conversation_id: Optional[str] = None, detail: str = "",
           engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(a.insert().values(at=time.time(), actor=actor, action=action,
                                       conversation_id=conversation_id, detail=detail[:500]))


def for_conversation(conversation_id: str, engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(select(a).where(a.c.conversation_id == conversation_id).order_by(a.c.id)).all()
    return [dict(r._mapping) for r in rows]


def recent(limit: int = 100, engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(select(a).order_by(a.c.id.desc()).limit(limit)).all()
    return [dict(r._mapping) for r in rows]
