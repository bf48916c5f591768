"""The queue of conversations waiting for a person: ordered by risk (highest first), then waiting time.

A conversation has at most one active entry (waiting or claimed). Claiming is atomic: an
UPDATE that only succeeds while the entry is still waiting, so two agents cannot both win.
"""
from __future__ import annotations

import math
import time
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from handoff.db import get_engine, queue_table as q

WAITING, CLAIMED, ENDED = "waiting", "claimed", "ended"
ACTIVE = (WAITING, CLAIMED)
ORDER = (q.c.risk.desc(), q.c.requested_at.asc(), q.c.id.asc())


def _row(row) -> Dict[str, Any]:
    return dict(row._mapping) if row is not None else None


def active(conversation_id: str, engine: Optional[Engine] = None) -> Optional[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = conn.execute(select(q).where(q.c.conversation_id == conversation_id, q.c.status.in_(ACTIVE))
                           .order_by(q.c.id.desc()).limit(1)).first()
    return _row(row)


def request(conversation_id: str, channel: str, audience: Optional[str], topic: Optional[str], risk: int,
            now: Optional[float] = None, engine: Optional[Engine] = None) -> Dict[str, Any]:
    """Put a conversation in the queue, or refresh its waiting entry (risk only ever goes up)."""
    engine = engine or get_engine()
    now = time.time() if now is None else now
    with engine.begin() as conn:
        row = conn.execute(select(q).where(q.c.conversation_id == conversation_id, q.c.status.in_(ACTIVE))
                           .order_by(q.c.id.desc()).limit(1)).first()
        if row is None:
            conn.execute(q.insert().values(conversation_id=conversation_id, channel=channel or "", audience=audience,
                                           topic=topic, risk=risk, status=WAITING, requested_at=now))
        elif row.status == WAITING:
            conn.execute(update(q).where(q.c.id == row.id).values(
                risk=max(risk, row.risk), channel=channel or row.channel, audience=audience or row.audience,
                topic=topic or row.topic))
    return active(conversation_id, engine)


def position(entry: Dict[str, Any], engine: Optional[Engine] = None) -> int:
    """1-based place of a waiting entry in the queue."""
    engine = engine or get_engine()
    ahead = and_(q.c.status == WAITING, or_(
        q.c.risk > entry["risk"],
        and_(q.c.risk == entry["risk"], q.c.requested_at < entry["requested_at"]),
        and_(q.c.risk == entry["risk"], q.c.requested_at == entry["requested_at"], q.c.id < entry["id"])))
    with engine.connect() as conn:
        count = conn.execute(select(q.c.id).where(ahead)).all()
    return len(count) + 1


def waiting(limit: int = 200, engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(select(q).where(q.c.status == WAITING).order_by(*ORDER).limit(limit)).all()
    return [_row(r) for r in rows]


def claimed_by(username: str, engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(select(q).where(q.c.status == CLAIMED, q.c.claimed_by == username)
                            .order_by(q.c.claimed_at.asc())).all()
    return [_row(r) for r in rows]


def claim(conversation_id: str, username: str, engine: Optional[Engine] = None) -> Tuple[bool, Optional[Dict[str, Any]]]:
    """(True, entry) if this agent now holds the conversation; (False, entry or None) otherwise."""
    engine = engine or get_engine()
    with engine.begin() as conn:
        result = conn.execute(update(q).where(q.c.conversation_id == conversation_id, q.c.status == WAITING)
                              .values(status=CLAIMED, claimed_by=username, claimed_at=time.time()))
    entry = active(conversation_id, engine)
    return result.rowcount == 1, entry


def end(conversation_id: str, username: str, engine: Optional[Engine] = None) -> bool:
    """End a handoff held by ``username``. False if it is not theirs (or not active)."""
    engine = engine or get_engine()
    with engine.begin() as conn:
        result = conn.execute(update(q).where(q.c.conversation_id == conversation_id, q.c.status == CLAIMED,
                                              q.c.claimed_by == username)
                              .values(status=ENDED, ended_at=time.time(), ended_by=username))
    return result.rowcount == 1


def wait_minutes(place: int, agents: int, minutes_per_conversation: float) -> int:
    """A rough, rounded-up estimate: each present agent takes one conversation at a time."""
    return max(1, math.ceil(place * minutes_per_conversation / max(1, agents)))
