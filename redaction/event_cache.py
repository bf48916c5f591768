"""Keep the events Rasa last read for a conversation, so the next turn reads only what is new.

Rasa's SQL tracker store rebuilds the whole tracker every time it is read: it loads every stored
row of the latest session, parses the JSON and turns each dict back into an event (which walks
every Event subclass per row). It is read twice a turn, so a 25-message conversation spends most
of its store time re-parsing rows it parsed a moment ago. This cache holds, per conversation, the
row ids and the events already parsed from them. A read still asks the database for the ids of
the latest session (the same query Rasa uses), so a row another process wrote is read and parsed,
and a row deleted (retention purge, moderator removal) or a new session makes the ids differ and
the conversation is read afresh: the database stays the truth, the cache only saves parsing.

The events held are the stored ones, so they are as redacted as the database. Entries expire
after ``SAFEGUARD_TRACKER_CACHE_TTL`` seconds idle (default 900) and at most
``SAFEGUARD_TRACKER_CACHE_SIZE`` conversations are held (default 1000; 0 turns the cache off).
"""
from __future__ import annotations

import os
import time
from collections import OrderedDict
from typing import Callable, List, Optional, Sequence, Tuple

from rasa.shared.core.events import Event


class Entry:
    __slots__ = ("ids", "events", "used")

    def __init__(self, ids: List[int], events: List[Event], used: float) -> None:
        self.ids = ids
        self.events = events
        self.used = used


class StoredEventCache:
    def __init__(self, size: Optional[int] = None, ttl: Optional[float] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size = int(os.environ.get("SAFEGUARD_TRACKER_CACHE_SIZE", "1000")) if size is None else size
        self.ttl = float(os.environ.get("SAFEGUARD_TRACKER_CACHE_TTL", "900")) if ttl is None else ttl
        self._clock = clock
        self._entries: "OrderedDict[str, Entry]" = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def known_ids(self, sender_id: str) -> List[int]:
        """Row ids whose events are held for this conversation (empty when none are)."""
        entry = self._live(sender_id)
        return entry.ids if entry else []

    def events_for(self, sender_id: str, ids: Sequence[int], parse_new: Callable[[int], List[Event]],
                   parse_all: Callable[[], Tuple[List[int], List[Event]]]) -> Tuple[List[Event], int]:
        """Events of the rows ``ids`` (the latest session, in order), and how many rows they came from.

        ``parse_new(n)`` parses the rows after the first ``n``, when the first ``n`` are held;
        ``parse_all()`` reads and parses every row again (ids and events), when they are not held
        (first read, new session, rows deleted).
        """
        ids = list(ids)
        entry = self._live(sender_id)
        held = len(entry.ids) if entry else 0
        if entry and ids[:held] == entry.ids:
            self.hits += 1
            events = entry.events + parse_new(held)
        else:
            self.misses += 1
            ids, events = parse_all()
        self._put(sender_id, ids, events)
        return list(events), len(ids)

    def forget(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)

    def _live(self, sender_id: str) -> Optional[Entry]:
        entry = self._entries.get(sender_id)
        if entry is None:
            return None
        if self._clock() - entry.used > self.ttl:
            del self._entries[sender_id]
            return None
        return entry

    def _put(self, sender_id: str, ids: List[int], events: List[Event]) -> None:
        if self.size <= 0 or not ids or len(ids) != len(events):
            # nothing to hold, or a row did not parse into an event: read this one afresh next time
            self._entries.pop(sender_id, None)
            return
        self._entries[sender_id] = Entry(ids, events, self._clock())
        self._entries.move_to_end(sender_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

