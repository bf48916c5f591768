"""Opening hours for live chat with staff.

A spec is "always", "never", or day ranges with times separated by ";", e.g.
``mon-fri 09:00-21:00; sat,sun 10:00-18:00``. Times are local (HANDOFF_TIMEZONE, default
Europe/London); an end time of 24:00 means midnight. The admin page can store a spec in the
database; otherwise HANDOFF_HOURS (default "always") applies.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handoff import config

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_TIME = r"([01]?\d|2[0-4]):([0-5]\d)"
_PART = re.compile(rf"^\s*([a-z,\- ]+?)\s+{_TIME}\s*-\s*{_TIME}\s*$")

Window = Tuple[int, int, int]  # weekday, start minute, end minute


class HoursError(ValueError):
    pass


def _days(text: str) -> List[int]:
    found: List[int] = []
    for piece in text.replace(" ", "").split(","):
        if "-" in piece:
            first, last = piece.split("-", 1)
            if first[:3] not in DAYS or last[:3] not in DAYS:
                raise HoursError(f"unknown day in {piece!r}")
            start, end = DAYS.index(first[:3]), DAYS.index(last[:3])
            span = range(start, end + 1) if start <= end else list(range(start, 7)) + list(range(0, end + 1))
            found.extend(span)
        elif piece[:3] in DAYS and piece:
            found.append(DAYS.index(piece[:3]))
        else:
            raise HoursError(f"unknown day {piece!r}")
    return found


def parse(spec: str) -> Optional[List[Window]]:
    """None for "always"; [] for "never"; otherwise the weekly windows. Raises HoursError."""
    text = (spec or "").strip().lower()
    if text in ("always", "24/7"):
        return None
    if text in ("never", "closed"):
        return []
    if len(text) > 500:
        raise HoursError("hours too long")
    windows: List[Window] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _PART.match(part)
        if not match:
            raise HoursError(f"could not read {part!r}: use e.g. 'mon-fri 09:00-21:00'")
        days, h1, m1, h2, m2 = match.groups()
        start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
        if start >= end or end > 24 * 60:
            raise HoursError(f"start must be before end in {part!r}")
        windows.extend((day, start, end) for day in _days(days))
    if not windows:
        raise HoursError("no opening hours given")
    return windows


def _zone() -> dt.tzinfo:
    try:
        return ZoneInfo(config.timezone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def is_open(spec: str, now: Optional[dt.datetime] = None) -> bool:
    """Whether the spec is open at ``now`` (default: the current time). A bad spec counts as closed."""
    try:
        windows = parse(spec)
    except HoursError:
        return False
    if windows is None:
        return True
    local = (now or dt.datetime.now(dt.timezone.utc)).astimezone(_zone())
    minute = local.hour * 60 + local.minute
    return any(day == local.weekday() and start <= minute < end for day, start, end in windows)
