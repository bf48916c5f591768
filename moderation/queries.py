"""Filters, keyset paging and search over the conversation summaries, and reading one conversation.

Every value from a request goes through ``Filters.parse`` (strict formats, clear errors) and then
into SQLAlchemy expressions as bound parameters; nothing is pasted into SQL text.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from sqlalchemy import and_, exists, select, tuple_
from sqlalchemy.engine import Engine

from handoff.db import audit_table, queue_table
from moderation import tables
from moderation.summary import ENDED_AFTER_SECONDS
from moderation.tables import conversations as c, tags as t

AUDIENCES = ("child", "adult", "unknown")
FLAG_FILTERS = {"danger": "danger", "disclosure": "disclosure", "self_harm": "self_harm",
                "handed_off": "handed_off", "not_understood": "not_understood", "ended_early": None}
FLAG_LABELS = {"danger": "Danger", "disclosure": "Disclosure", "self_harm": "Self-harm", "handed_off": "Handed off",
               "not_understood": "Not understood", "ended_early": "Ended early"}
ROUTE = re.compile(r"^[a-z0-9_]{1,40}$")
TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,31}$")
MAX_SEARCH = 200
MAX_ID = 255
PAGE_SIZE = 50


class FilterError(ValueError):
    """A filter value that is not allowed (shown to the moderator; HTTP 400)."""


def _day(value: str, name: str) -> Optional[float]:
    if not value:
        return None
    try:
        day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise FilterError(f"{name} must be a date like 2024-05-31") from None
    return day.timestamp()


def _one(args: Mapping, name: str) -> str:
    value = args.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def _many(args: Mapping, name: str) -> List[str]:
    getlist = getattr(args, "getlist", None)
    values = getlist(name) if getlist else args.get(name)
    if values is None:
        values = []
    elif isinstance(values, str):
        values = [values]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def encode_cursor(last_at: float, conversation_id: str) -> str:
    raw = json.dumps([last_at, conversation_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> Tuple[float, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        last_at, conversation_id = json.loads(raw)
        if isinstance(last_at, bool) or not isinstance(last_at, (int, float)) or not isinstance(conversation_id, str) \
                or len(conversation_id) > MAX_ID:
            raise ValueError
        return float(last_at), conversation_id
    except (ValueError, TypeError, UnicodeDecodeError):
        raise FilterError("the page link is not valid; start again from the first page") from None


@dataclass
class Filters:
    since: Optional[float] = None       # last message on or after this day (UTC)
    until: Optional[float] = None       # last message before the end of this day (UTC)
    audience: Optional[str] = None
    flags: List[str] = field(default_factory=list)
    route: Optional[str] = None
    reviewed: Optional[bool] = None
    tag: Optional[str] = None
    search: str = ""
    after: Optional[Tuple[float, str]] = None

    @classmethod
    def parse(cls, args: Mapping) -> "Filters":
        f = cls(since=_day(_one(args, "from"), "from"), until=_day(_one(args, "to"), "to"))
        if f.until is not None:
            f.until += 86400
        audience = _one(args, "audience")
        if audience:
            if audience not in AUDIENCES:
                raise FilterError("audience must be child, adult or unknown")
            f.audience = audience
        for flag in _many(args, "flag"):
            if flag not in FLAG_FILTERS:
                raise FilterError("unknown flag; use " + ", ".join(FLAG_FILTERS))
            if flag not in f.flags:
                f.flags.append(flag)
        route = _one(args, "route")
        if route:
            if not ROUTE.match(route):
                raise FilterError("a route is a name like childline or 999")
            f.route = route
        reviewed = _one(args, "reviewed")
        if reviewed:
            if reviewed not in ("yes", "no"):
                raise FilterError("reviewed must be yes or no")
            f.reviewed = reviewed == "yes"
        tag = _one(args, "tag").lower()
        if tag:
            if not TAG.match(tag):
                raise FilterError("a tag is 1-32 letters, digits, spaces, - or _")
            f.tag = tag
        search = _one(args, "q")
        if len(search) > MAX_SEARCH:
            raise FilterError(f"the search is longer than {MAX_SEARCH} characters")
        if "\x00" in search:
            raise FilterError("the search contains a NUL character")
        f.search = search
        after = _one(args, "after")
        if after:
            f.after = decode_cursor(after)
        return f

    def query_args(self, with_cursor: bool = False) -> List[Tuple[str, str]]:
        """The filters as query-string pairs (for page links and export links)."""
        pairs: List[Tuple[str, str]] = []
        if self.since is not None:
            pairs.append(("from", dt.datetime.fromtimestamp(self.since, dt.timezone.utc).strftime("%Y-%m-%d")))
        if self.until is not None:
            pairs.append(("to", dt.datetime.fromtimestamp(self.until - 86400, dt.timezone.utc).strftime("%Y-%m-%d")))
        if self.audience:
            pairs.append(("audience", self.audience))
        pairs.extend(("flag", flag) for flag in self.flags)
        for name, value in (("route", self.route), ("tag", self.tag), ("q", self.search)):
            if value:
                pairs.append((name, value))
        if self.reviewed is not None:
            pairs.append(("reviewed", "yes" if self.reviewed else "no"))
        if with_cursor and self.after:
            pairs.append(("after", encode_cursor(*self.after)))
        return pairs

    def describe(self) -> str:
        """For the audit log: which filters, never the search words themselves (they may name someone)."""
        parts = [f"{k}={v}" for k, v in self.query_args() if k != "q"]
        if self.search:
            parts.append(f"search ({len(self.search)} characters)")
        return "; ".join(parts) or "no filters"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(f: Filters, now: Optional[float] = None) -> List[Any]:
    now = time.time() if now is None else now
    where: List[Any] = []
    if f.since is not None:
        where.append(c.c.last_at >= f.since)
    if f.until is not None:
        where.append(c.c.last_at < f.until)
    if f.audience:
        where.append(c.c.audience == f.audience)
    for flag in f.flags:
        if flag == "ended_early":
            where.append(and_(c.c.pending_question.is_(True), c.c.last_at < now - ENDED_AFTER_SECONDS))
        else:
            where.append(c.c[FLAG_FILTERS[flag]].is_(True))
    if f.route:
        where.append(c.c.routes.like(f"%,{_like_escape(f.route)},%", escape="\\"))
    if f.reviewed is not None:
        where.append(c.c.reviewed_at.isnot(None) if f.reviewed else c.c.reviewed_at.is_(None))
    if f.tag:
        where.append(exists().where(t.c.conversation_id == c.c.conversation_id, t.c.tag == f.tag))
    if f.search:
        where.append(c.c.search_text.like(f"%{_like_escape(f.search.lower())}%", escape="\\"))
    return where


LIST_COLUMNS = [c.c.conversation_id, c.c.started_at, c.c.last_at, c.c.user_turns, c.c.audience,
                *[c.c[flag] for flag in tables.FLAGS], c.c.routes, c.c.reviewed_at, c.c.reviewed_by]


def page(f: Filters, engine: Optional[Engine] = None, size: int = PAGE_SIZE,
         now: Optional[float] = None) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """One page, newest first, and the cursor of the next page (None on the last page)."""
    engine = engine or tables.get_engine()
    where = conditions(f, now)
    if f.after:
        last_at, conversation_id = f.after
        # a row-value comparison, so PostgreSQL and SQLite walk the (last_at, conversation_id) index
        where.append(tuple_(c.c.last_at, c.c.conversation_id) < tuple_(last_at, conversation_id))
    query = (select(*LIST_COLUMNS).where(*where).order_by(c.c.last_at.desc(), c.c.conversation_id.desc())
             .limit(size + 1))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    more = len(rows) > size
    rows = rows[:size]
    now = time.time() if now is None else now
    for row in rows:
        row["ended_early"] = bool(row["pending_question"]) and row["last_at"] < now - ENDED_AFTER_SECONDS
    following = encode_cursor(rows[-1]["last_at"], rows[-1]["conversation_id"]) if more and rows else None
    return rows, following


def iterate(f: Filters, engine: Optional[Engine] = None, batch: int = 500, limit: Optional[int] = None
            ) -> Iterator[List[Dict[str, Any]]]:
    """Every matching summary, newest first, in batches (keyset paging underneath)."""
    cursor_filters = Filters(**{**f.__dict__, "after": None})
    sent = 0
    while True:
        rows, following = page(cursor_filters, engine, batch)
        if limit is not None:
            rows = rows[:max(0, limit - sent)]
        if rows:
            yield rows
            sent += len(rows)
        if not following or not rows or (limit is not None and sent >= limit):
            return
        cursor_filters.after = decode_cursor(following)


def summary_of(conversation_id: str, engine: Optional[Engine] = None) -> Optional[Dict[str, Any]]:
    engine = engine or tables.get_engine()
    with engine.connect() as conn:
        row = conn.execute(select(c).where(c.c.conversation_id == conversation_id)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    found["ended_early"] = bool(found["pending_question"]) and found["last_at"] < time.time() - ENDED_AFTER_SECONDS
    return found


def extras(conversation_id: str, engine: Optional[Engine] = None) -> Dict[str, Any]:
    """Handoff entries, tags, notes and the staff audit trail of one conversation."""
    engine = engine or tables.get_engine()
    with engine.connect() as conn:
        handoffs = [dict(r._mapping) for r in conn.execute(
            select(queue_table).where(queue_table.c.conversation_id == conversation_id).order_by(queue_table.c.id))]
        tag_rows = [dict(r._mapping) for r in conn.execute(
            select(t).where(t.c.conversation_id == conversation_id).order_by(t.c.tag))]
        note_rows = [dict(r._mapping) for r in conn.execute(
            select(tables.notes).where(tables.notes.c.conversation_id == conversation_id).order_by(tables.notes.c.id))]
        trail = [dict(r._mapping) for r in conn.execute(
            select(audit_table).where(audit_table.c.conversation_id == conversation_id,
                                      audit_table.c.action.in_(("claim", "end", "message")))
            .order_by(audit_table.c.id))]
    return {"handoffs": handoffs, "tags": tag_rows, "notes": note_rows, "staff_actions": trail}
