"""Retention: delete conversations older than the configured number of days.

    python -m redaction.retention purge [--days N] [--db-url URL] [--dry-run]      (`make purge`)

Days come from ``--days``, else env ``SAFEGUARD_RETENTION_DAYS``, else 30 (what ``utter_confidential``
tells users; a test keeps the two in agreement). The database is ``--db-url``, else env
``SAFEGUARD_DB_URL``, else ``sqlite:///var/rasa.db`` under the project root. Safe to run on a
schedule (cron, systemd timer): it only deletes, in one transaction per table.

Rule for Rasa's ``events`` table: every event older than the cut-off is deleted, except events of
a conversation session that is still going on (its latest session has events newer than the
cut-off), because Rasa counts the stored events of the current session to know what to append.
Other tables (handoff queue, audit log) follow the same cut-off on a time column. They are
found in a small registry: ``DEFAULT_TABLES`` below (``handoff_queue.requested_at``,
``staff_audit.at``), ``RETENTION_TABLES`` in ``handoff.retention`` (if that module
exists), a list of ``(table, time_column)`` pairs, plus env ``SAFEGUARD_RETENTION_TABLES``
(``table:column,table:column``). Tables that do not exist are skipped. Time columns may be
DATE/DATETIME/TIMESTAMP or numbers (Unix seconds).
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DAYS = 30
REGISTRY_MODULES = ("handoff.retention",)
# The handoff queue and the staff audit log (handoff/db.py); skipped where the tables do not exist.
DEFAULT_TABLES = [("handoff_queue", "requested_at"), ("staff_audit", "at")]
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def retention_days(value: Optional[int] = None) -> int:
    days = value if value is not None else os.environ.get("SAFEGUARD_RETENTION_DAYS", DEFAULT_DAYS)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValueError(f"retention days must be a whole number, not {days!r}") from None
    if days < 1:
        raise ValueError("retention days must be at least 1")
    return days


def database_url(value: Optional[str] = None) -> str:
    return value or os.environ.get("SAFEGUARD_DB_URL") or f"sqlite:///{ROOT / 'var' / 'rasa.db'}"


def extra_tables() -> List[Tuple[str, str]]:
    """(table, time column) pairs from the registry modules and SAFEGUARD_RETENTION_TABLES."""
    pairs: List[Tuple[str, str]] = list(DEFAULT_TABLES)
    for name in REGISTRY_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        pairs.extend((str(t), str(c)) for t, c in getattr(module, "RETENTION_TABLES", []))
    for item in os.environ.get("SAFEGUARD_RETENTION_TABLES", "").split(","):
        if item.strip():
            table, _, column = item.strip().partition(":")
            pairs.append((table.strip(), column.strip()))
    for table, column in pairs:
        if not (_IDENTIFIER.match(table) and _IDENTIFIER.match(column)):
            raise ValueError(f"not a plain table:column name: {table}:{column}")
    return list(dict.fromkeys(pairs))


@dataclass
class PurgeReport:
    cutoff: float
    deleted: Dict[str, int]

    def __str__(self) -> str:
        when = datetime.fromtimestamp(self.cutoff, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        rows = ", ".join(f"{table}: {count}" for table, count in self.deleted.items()) or "no tables"
        return f"deleted rows older than {when}: {rows}"


def purge(url: str, days: int, now: Optional[float] = None, dry_run: bool = False,
          tables: Optional[List[Tuple[str, str]]] = None) -> PurgeReport:
    cutoff = (now if now is not None else time.time()) - days * 86400
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return PurgeReport(cutoff, {})  # no database yet: nothing stored, nothing to delete
    engine = sa.create_engine(url)
    deleted: Dict[str, int] = {}
    try:
        inspector = sa.inspect(engine)
        existing = set(inspector.get_table_names())
        if "events" in existing:
            deleted["events"] = _purge_events(engine, cutoff, dry_run)
        for table, column in (extra_tables() if tables is None else tables):
            if table not in existing:
                continue
            columns = {c["name"]: c["type"] for c in inspector.get_columns(table)}
            if column not in columns:
                raise ValueError(f"table {table} has no column {column}")
            deleted[table] = _purge_table(engine, table, column, columns[column], cutoff, dry_run)
    finally:
        engine.dispose()
    return PurgeReport(cutoff, deleted)


def _purge_events(engine: sa.engine.Engine, cutoff: float, dry_run: bool) -> int:
    # The latest session of each conversation, when it still has events newer than the cut-off, is kept whole.
    keep_from = sa.text("""
        SELECT e.sender_id, MAX(e.timestamp) AS session_start FROM events e
        WHERE e.type_name = 'session_started' GROUP BY e.sender_id
    """)
    condition = """
        timestamp < :cutoff AND NOT (
            sender_id IN (SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) >= :cutoff)
            AND timestamp >= COALESCE((SELECT s.session_start FROM ({keep}) s WHERE s.sender_id = events.sender_id), 0)
        )
    """.format(keep=keep_from.text)
    with engine.begin() as connection:
        if dry_run:
            return int(connection.execute(sa.text(f"SELECT COUNT(*) FROM events WHERE {condition}"),
                                          {"cutoff": cutoff}).scalar())
        return connection.execute(sa.text(f"DELETE FROM events WHERE {condition}"), {"cutoff": cutoff}).rowcount


def _purge_table(engine: sa.engine.Engine, table: str, column: str, column_type, cutoff: float,
                 dry_run: bool) -> int:
    python_type = None
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        pass
    if python_type in (int, float) or isinstance(column_type, (sa.Integer, sa.Float, sa.Numeric)):
        limit = cutoff
    else:  # DATE / DATETIME / TIMESTAMP, stored in UTC
        limit = datetime.fromtimestamp(cutoff, timezone.utc).replace(tzinfo=None)
        if engine.dialect.name == "postgresql" and getattr(column_type, "timezone", False):
            limit = datetime.fromtimestamp(cutoff, timezone.utc)
    t = sa.table(table, sa.column(column))
    with engine.begin() as connection:
        if dry_run:
            return int(connection.execute(sa.select(sa.func.count()).select_from(t).where(t.c[column] < limit)).scalar())
        return connection.execute(sa.delete(t).where(t.c[column] < limit)).rowcount


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m redaction.retention", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("purge", help="delete conversations older than the retention period")
    run.add_argument("--days", type=int, default=None)
    run.add_argument("--db-url", default=None)
    run.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    args = parser.parse_args(argv)
    try:
        days = retention_days(args.days)
        report = purge(database_url(args.db_url), days, dry_run=args.dry_run)
    except (ValueError, sa.exc.SQLAlchemyError) as error:
        print(f"purge failed: {error}", file=sys.stderr)
        return 1
    print(("would have " if args.dry_run else "") + str(report) + f" (retention {days} days)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
