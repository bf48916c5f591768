"""Exports of a filtered set: CSV (one row per message) and JSON Lines (one conversation per line).

Only what is stored is exported, and what is stored is redacted. CSV cells that a spreadsheet
would read as a formula (starting with = + - @, or a tab / carriage return) get a leading quote.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Dict, Iterator, List, Optional

from sqlalchemy.engine import Engine

from moderation import index, queries, tables
from moderation.summary import routes_list, transcript

CSV_HEADER = ["conversation_id", "started_at", "last_at", "audience", "flags", "routes", "reviewed",
              "message_index", "at", "from", "text", "intent", "confidence"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CONVERSATIONS = 100_000


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def iso(seconds: Optional[float]) -> str:
    if not seconds:
        return ""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def flags_of(row: Dict[str, Any]) -> List[str]:
    return [name for name in queries.FLAG_FILTERS if row.get(name)]


def _with_transcripts(f: queries.Filters, engine: Engine) -> Iterator[tuple]:
    for rows in queries.iterate(f, engine, batch=200, limit=MAX_CONVERSATIONS):
        with engine.connect() as conn:
            found = index.events_of(conn, [r["conversation_id"] for r in rows])
        for row in rows:
            yield row, transcript(found.get(row["conversation_id"], []))


def csv_chunks(f: queries.Filters, engine: Optional[Engine] = None) -> Iterator[str]:
    engine = engine or tables.get_engine()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row, messages in _with_transcripts(f, engine):
        common = [row["conversation_id"], iso(row["started_at"]), iso(row["last_at"]), row["audience"],
                  " ".join(flags_of(row)), " ".join(routes_list(row["routes"])), "yes" if row["reviewed_at"] else "no"]
        for message in messages:
            confidence = message.get("confidence")
            writer.writerow([safe_cell(v) for v in common + [
                message["index"], iso(message["at"]), message["from"], message["text"], message.get("intent") or "",
                "" if confidence is None else f"{confidence:.3f}"]])
        if buffer.tell() > 32 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_chunks(f: queries.Filters, engine: Optional[Engine] = None) -> Iterator[str]:
    engine = engine or tables.get_engine()
    lines: List[str] = []
    size = 0
    for row, messages in _with_transcripts(f, engine):
        line = json.dumps({
            "conversation_id": row["conversation_id"], "started_at": iso(row["started_at"]),
            "last_at": iso(row["last_at"]), "audience": row["audience"], "flags": flags_of(row),
            "routes": routes_list(row["routes"]), "user_turns": row["user_turns"],
            "reviewed": bool(row["reviewed_at"]), "reviewed_by": row["reviewed_by"],
            "messages": [{k: m.get(k) for k in ("index", "at", "from", "text", "intent", "confidence", "route",
                                                "handoff") if m.get(k) is not None} for m in messages],
        }, ensure_ascii=False)
        lines.append(line + "\n")
        size += len(line)
        if size > 32 * 1024:
            yield "".join(lines)
            lines, size = [], 0
    yield "".join(lines)
