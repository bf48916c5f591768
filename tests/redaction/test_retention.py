"""Retention: exactly what is older than the limit is deleted; the limit agrees with what users are told."""
from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

from redaction import retention
from tests.redaction.helpers import ROOT, load_domain

DAY = 86400.0
NOW = 1_800_000_000.0


def _db(tmp_path):
    path = tmp_path / "rasa.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp FLOAT, "
                   "intent_name TEXT, action_name TEXT, data TEXT)")
        db.execute("CREATE TABLE handoff_requests (id INTEGER PRIMARY KEY, created_at DATETIME)")
        db.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at FLOAT)")
    return path


def _add(path, sender, type_name, age_days):
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, '{}')",
                   (sender, type_name, NOW - age_days * DAY))


def _events(path):
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT sender_id, type_name, ROUND((? - timestamp) / 86400.0, 3) FROM events",
                                 (NOW,)).fetchall())


def test_purge_deletes_exactly_what_is_older_than_the_limit(tmp_path, monkeypatch):
    path = _db(tmp_path)
    # old conversation: all of it goes, including an event just past the limit
    for kind, age in (("session_started", 45), ("user", 45), ("bot", 30.001)):
        _add(path, "old", kind, age)
    # new conversation: all of it stays, including an event just inside the limit
    for kind, age in (("session_started", 29.999), ("user", 29.999), ("bot", 1)):
        _add(path, "new", kind, age)
    # returning user: the old session goes, the current session stays whole
    for kind, age in (("session_started", 60), ("user", 60), ("session_started", 2), ("user", 2), ("bot", 0)):
        _add(path, "back", kind, age)
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO handoff_requests (created_at) VALUES (?)",
                       [("2027-01-14 08:00:00",), ("2026-12-01 00:00:00",)])  # NOW is 2027-01-15 08:00 UTC
        db.executemany("INSERT INTO audit_log (at) VALUES (?)", [(NOW - 31 * DAY,), (NOW - 29 * DAY,)])
    monkeypatch.setenv("SAFEGUARD_RETENTION_TABLES", "handoff_requests:created_at,audit_log:at,missing_table:x")
    report = retention.purge(f"sqlite:///{path}", 30, now=NOW)
    assert report.deleted == {"events": 5, "handoff_requests": 1, "audit_log": 1}
    assert _events(path) == sorted([("new", "session_started", 29.999), ("new", "user", 29.999), ("new", "bot", 1.0),
                                    ("back", "session_started", 2.0), ("back", "user", 2.0), ("back", "bot", 0.0)])
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT created_at FROM handoff_requests").fetchall() == [("2027-01-14 08:00:00",)]
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone() == (1,)
    assert retention.purge(f"sqlite:///{path}", 30, now=NOW).deleted["events"] == 0  # idempotent


def test_dry_run_deletes_nothing(tmp_path):
    path = _db(tmp_path)
    _add(path, "old", "user", 40)
    assert retention.purge(f"sqlite:///{path}", 30, now=NOW, dry_run=True, tables=[]).deleted == {"events": 1}
    assert len(_events(path)) == 1


def test_retention_days_default_agrees_with_what_users_are_told(monkeypatch):
    monkeypatch.delenv("SAFEGUARD_RETENTION_DAYS", raising=False)
    told = {int(n) for v in load_domain()["responses"]["utter_confidential"]
            for n in re.findall(r"kept for (\d+) days", v["text"])}
    assert told == {retention.retention_days()} == {retention.DEFAULT_DAYS}


def test_bad_settings_are_refused(monkeypatch):
    import pytest

    monkeypatch.setenv("SAFEGUARD_RETENTION_DAYS", "thirty")
    with pytest.raises(ValueError):
        retention.retention_days()
    with pytest.raises(ValueError):
        retention.retention_days(0)
    monkeypatch.setenv("SAFEGUARD_RETENTION_TABLES", "events; DROP TABLE x:at")
    with pytest.raises(ValueError):
        retention.extra_tables()


def test_command_line(tmp_path):
    path = _db(tmp_path)
    _add(path, "old", "user", 400)
    result = subprocess.run([sys.executable, "-m", "redaction.retention", "purge", "--days", "30",
                             "--db-url", f"sqlite:///{path}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "events: 1" in result.stdout
    assert _events(path) == []
    missing = subprocess.run([sys.executable, "-m", "redaction.retention", "purge", "--db-url",
                              f"sqlite:///{tmp_path}/none.db"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 0 and not (tmp_path / "none.db").exists()
