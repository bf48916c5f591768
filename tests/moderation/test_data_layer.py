"""The summary index, filters, keyset paging, search, reviews and exports on SQLite (no servers)."""
from __future__ import annotations

import csv
import io
import json
import time

import uuid

import pytest
import sqlalchemy as sa

from handoff import db as handoff_db
from moderation import export, index, queries, review, tables
from tests.moderation.helpers import action, bot, count_events, insert, slot, user

NOW = time.time()


ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def pg_server():
    """A fresh PostgreSQL database for this module (skipped when no server is reachable)."""
    name = f"moderation_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {error.orig}")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    handoff_db.dispose_all()
    tables._ready.clear()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mod.db'}"
    else:
        url = request.getfixturevalue("pg_server")
    monkeypatch.setenv("SAFEGUARD_DB_URL", url)
    engine = tables.get_engine(url)
    yield engine
    if request.param == "postgresql":  # empty the tables for the next test
        with engine.begin() as conn:
            for table in ("events", "moderation_conversations", "moderation_tags", "moderation_notes",
                          "moderation_state"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
    else:
        handoff_db.dispose_all()
        tables._ready.clear()


def child_in_danger(engine, sender="c-danger", start=NOW - 3600):
    insert(engine, sender, [
        action("action_session_start"), user("he hits me <NAME> help", "immediate_danger", 1.0, ["danger"]),
        action("utter_route_999"), bot("Call 999 now.", "utter_route_999"),
        action("action_ask_audience"), bot("Are you under 18?"), action("action_listen"),
        user("i'm 12", "inform_audience", 0.97), slot("audience", "child"),
        action("utter_route_childline"), bot("Childline: ...", "utter_route_childline"), action("action_listen")], start)


def left_at_audience_question(engine, sender="c-left", start=NOW - 7200):
    insert(engine, sender, [
        user("=cmd|' /C calc'!A0", "nlu_fallback", 0.3), action("utter_rephrase"), bot("Sorry, say it another way?"),
        action("action_listen"), user("someone touched me", "disclose_abuse", 0.88), action("action_ask_audience"),
        bot("Are you under 18?"), action("action_listen")], start)


def test_summary_flags_routes_audience(engine):
    child_in_danger(engine)
    left_at_audience_question(engine)
    assert index.refresh(engine) == 2
    rows, following = queries.page(queries.Filters(), engine)
    assert following is None
    by_id = {r["conversation_id"]: r for r in rows}
    danger = by_id["c-danger"]
    assert danger["danger"] and danger["audience"] == "child" and not danger["ended_early"]
    assert danger["routes"] == ",999,childline,"
    left = by_id["c-left"]
    assert left["disclosure"] and left["not_understood"] and left["ended_early"] and left["audience"] == "unknown"
    assert [r["conversation_id"] for r in rows] == ["c-danger", "c-left"]  # newest first


@pytest.mark.parametrize("args,expected", [
    ({"flag": ["danger"]}, {"c-danger"}), ({"flag": ["ended_early"]}, {"c-left"}),
    ({"flag": ["not_understood", "disclosure"]}, {"c-left"}), ({"audience": "child"}, {"c-danger"}),
    ({"audience": "unknown"}, {"c-left"}), ({"route": "childline"}, {"c-danger"}), ({"route": "999"}, {"c-danger"}),
    ({"route": "samaritans"}, set()), ({"q": "TOUCHED"}, {"c-left"}), ({"q": "<name>"}, {"c-danger"}),
    ({"q": "%"}, set()), ({"q": "_"}, set()), ({"reviewed": "no"}, {"c-danger", "c-left"}),
])
def test_filters(engine, args, expected):
    child_in_danger(engine)
    left_at_audience_question(engine)
    index.refresh(engine)
    rows, _ = queries.page(queries.Filters.parse(args), engine)
    assert {r["conversation_id"] for r in rows} == expected


def test_date_range_and_review_and_tags(engine):
    child_in_danger(engine, start=1_700_000_000)        # 2023-11-14
    left_at_audience_question(engine, start=1_710_000_000)  # 2024-03-09
    index.refresh(engine)
    got = lambda args: {r["conversation_id"] for r in queries.page(queries.Filters.parse(args), engine)[0]}
    assert got({"from": "2024-01-01"}) == {"c-left"}
    assert got({"to": "2023-11-14"}) == {"c-danger"}
    assert got({"from": "2023-11-14", "to": "2023-11-14"}) == {"c-danger"}
    assert review.set_reviewed("c-left", True, "mod1", engine)
    assert got({"reviewed": "yes"}) == {"c-left"} and got({"reviewed": "no"}) == {"c-danger"}
    review.add_tag("c-danger", "Wrong Route", "mod1", engine)
    assert got({"tag": "wrong route"}) == {"c-danger"}
    with pytest.raises(review.ReviewError):
        review.add_tag("c-danger", "<script>", "mod1", engine)
    stored = review.add_note("c-danger", "call her on 07700 900123 about it", "mod1", engine)
    assert "07700" not in stored and "<PHONE>" in stored
    # a refresh after new events keeps the review
    insert(engine, "c-left", [user("hello", "greet")], 1_710_000_100)
    index.refresh(engine)
    assert got({"reviewed": "yes"}) == {"c-left"}


def test_keyset_paging_visits_every_conversation_once(engine):
    for i in range(23):
        insert(engine, f"conv-{i:02d}", [user("hi", "greet"), action("utter_greet"), bot("Hello")], NOW - 10_000 + (i // 3))
    index.refresh(engine)
    seen, f = [], queries.Filters()
    while True:
        rows, following = queries.page(f, engine, size=5)
        seen += [r["conversation_id"] for r in rows]
        if not following:
            break
        f = queries.Filters.parse({"after": following})
    assert len(seen) == 23 and len(set(seen)) == 23


def test_index_is_incremental_and_idempotent(engine):
    child_in_danger(engine)
    index.refresh(engine)
    insert(engine, "c-danger", [user("thanks", "thanks")], NOW)
    left_at_audience_question(engine)
    index.refresh(engine)
    index.refresh(engine)
    rows, _ = queries.page(queries.Filters(), engine)
    assert len(rows) == 2
    assert {r["conversation_id"]: r["user_turns"] for r in rows} == {"c-danger": 3, "c-left": 2}
    assert index.rebuild(engine) == 2


HOSTILE = ["'; DROP TABLE events; --", "1 OR 1=1", "<script>alert(1)</script>", "\" onmouseover=alert(1) x=\"",
           "%' OR '1'='1", "\\", "ünïcødé 😀", "x" * 5000, "\x00", "2024-13-45", "../../etc/passwd"]


@pytest.mark.parametrize("name", ["from", "to", "audience", "flag", "route", "reviewed", "tag", "q", "after"])
def test_hostile_filter_values_are_refused_or_harmless(engine, name):
    child_in_danger(engine)
    index.refresh(engine)
    before = count_events(engine)
    for value in HOSTILE:
        try:
            f = queries.Filters.parse({name: value})
        except queries.FilterError:
            continue
        queries.page(f, engine)
        list(export.csv_chunks(f, engine))
    assert count_events(engine) == before
    assert len(queries.page(queries.Filters(), engine)[0]) == 1


def test_exports_are_formula_safe_and_complete(engine):
    child_in_danger(engine)
    left_at_audience_question(engine)
    index.refresh(engine)
    text = "".join(export.csv_chunks(queries.Filters(), engine))
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == export.CSV_HEADER
    cells = [cell for row in table[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    lines = [json.loads(line) for line in "".join(export.jsonl_chunks(queries.Filters(), engine)).splitlines()]
    assert {l["conversation_id"] for l in lines} == {"c-danger", "c-left"}
    danger = next(l for l in lines if l["conversation_id"] == "c-danger")
    assert danger["routes"] == ["999", "childline"] and "danger" in danger["flags"]
    assert danger["messages"][0] == {**danger["messages"][0], "from": "user", "intent": "immediate_danger", "confidence": 1.0}


def test_safe_cell():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert export.safe_cell(bad).startswith("'")
    assert export.safe_cell("fine") == "fine" and export.safe_cell(None) == ""


def test_index_command_and_retention(engine, monkeypatch, capsys):
    from moderation.__main__ import main
    child_in_danger(engine, start=NOW - 40 * 86400)
    left_at_audience_question(engine)
    assert main(["index", "--db-url", str(engine.url.render_as_string(hide_password=False))]) == 0
    assert "summaries written" in capsys.readouterr().out
    assert len(queries.page(queries.Filters(), engine)[0]) == 2
    review.add_tag("c-left", "fine", "mod1", engine)
    monkeypatch.setenv("SAFEGUARD_RETENTION_DAYS", "30")
    index.prune(engine, every=0)
    assert [r["conversation_id"] for r in queries.page(queries.Filters(), engine)[0]] == ["c-left"]
    assert queries.extras("c-left", engine)["tags"]
