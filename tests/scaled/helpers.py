"""Helpers for the scaled-out tests: stored events, a user that may be told 503."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import sqlalchemy as sa

from tests.support import http


def stored(engine: sa.engine.Engine, sender: str) -> List[Dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        return [json.loads(row[0]) for row in rows]


def stored_texts(engine: sa.engine.Engine, sender: str, kind: str) -> List[str]:
    return [e.get("text") for e in stored(engine, sender) if e.get("event") == kind]


def say(url: str, sender: str, text: Any, timeout: float = 60.0) -> Tuple[int, Any]:
    return http("POST", f"{url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=timeout)


def reply_texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if r.get("text")]


def tracker(url: str, token: str, sender: str) -> Dict[str, Any]:
    status, body = http("GET", f"{url}/conversations/{sender}/tracker?token={token}")
    assert status == 200, (status, body)
    return body
