"""The queue, accounts and throttling on SQLite and (when a server is reachable) PostgreSQL."""
from __future__ import annotations

import secrets
import threading

import pytest
from sqlalchemy import create_engine, text

from handoff import hours, queue, staff
from handoff.db import get_engine

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN, connect_args={"connect_timeout": 2})
        with engine.connect():
            return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield get_engine(f"sqlite:///{tmp_path / 'q.db'}")
        return
    if not _postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    name = "handoff_test_" + secrets.token_hex(4)
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        yield get_engine(url)
    finally:
        from handoff import db
        db._engines.pop(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def test_order_is_risk_then_waiting_time(engine):
    queue.request("a", "socketio", None, None, 0, now=100.0, engine=engine)
    queue.request("b", "socketio", "child", "abuse", 1, now=101.0, engine=engine)
    queue.request("c", "rest", None, None, 0, now=99.0, engine=engine)
    queue.request("d", "socketio", None, "danger", 2, now=105.0, engine=engine)
    queue.request("e", "socketio", None, None, 1, now=101.0, engine=engine)
    order = [e["conversation_id"] for e in queue.waiting(engine=engine)]
    assert order == ["d", "b", "e", "c", "a"]
    assert [queue.position(queue.active(c, engine), engine) for c in order] == [1, 2, 3, 4, 5]
    # asking again never lowers the risk or resets the waiting time
    queue.request("b", "socketio", None, None, 0, now=200.0, engine=engine)
    entry = queue.active("b", engine)
    assert (entry["risk"], entry["requested_at"], entry["audience"]) == (1, 101.0, "child")


def test_claim_is_exclusive_even_under_races(engine):
    queue.request("x", "socketio", None, None, 0, engine=engine)
    wins = []

    def grab(name):
        won, _ = queue.claim("x", name, engine)
        if won:
            wins.append(name)

    threads = [threading.Thread(target=grab, args=(f"agent{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert not queue.end("x", "someone-else", engine)
    assert queue.end("x", wins[0], engine)
    assert queue.active("x", engine) is None
    assert queue.claim("x", wins[0], engine) == (False, None)


def test_the_queue_survives_a_new_engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'persist.db'}"
    queue.request("kept", "socketio", None, None, 1, engine=get_engine(url))
    from handoff import db
    db._engines.pop(url).dispose()
    assert [e["conversation_id"] for e in queue.waiting(engine=get_engine(url))] == ["kept"]


def test_accounts_and_throttling(engine):
    user = staff.create_user("Sam.Agent", "a long enough password", "agent", engine)
    assert user["username"] == "sam.agent" and user["password_hash"].startswith("$argon2id$")
    assert staff.verify_password("SAM.AGENT", "a long enough password", engine)["id"] == user["id"]
    assert staff.verify_password("sam.agent", "wrong", engine) is None
    assert staff.verify_password("nobody", "a long enough password", engine) is None
    for bad in [("x", "a long enough password", "agent"), ("ok-name", "short", "agent"),
                ("ok-name", "a long enough password", "root"), ("ok-name", "aaaaaaaaaaaaaaa", "agent"),
                ("sam.agent", "a long enough password", "agent")]:
        with pytest.raises(staff.AccountError):
            staff.create_user(*bad, engine=engine)
    keys = ["user:sam.agent"]
    for i in range(3):
        assert staff.retry_after(keys, now=1000.0 + i, engine=engine) == 0
        staff.record_failure(keys, now=1000.0 + i, engine=engine)
    assert staff.retry_after(keys, now=1002.5, engine=engine) == pytest.approx(0.5)
    staff.record_failure(keys, now=1003.0, engine=engine)
    assert staff.retry_after(keys, now=1003.0, engine=engine) == 2.0
    assert staff.retry_after(keys, now=1003.0 + staff.FAILURE_WINDOW + 1, engine=engine) == 0
    staff.clear_failures(keys, engine)
    assert staff.retry_after(keys, now=1003.0, engine=engine) == 0
    # disabling signs out
    token, _ = staff.create_session(user["id"], engine)
    assert staff.load_session(token, engine)[1]["id"] == user["id"]
    staff.set_active(user["id"], False, engine)
    assert staff.load_session(token, engine) is None
    assert staff.verify_password("sam.agent", "a long enough password", engine) is None


def test_opening_hours():
    import datetime as dt
    london = dt.timezone.utc  # the tests pick winter dates, when London is on UTC
    monday_10 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=london)
    sunday_10 = dt.datetime(2026, 1, 4, 10, 0, tzinfo=london)
    monday_21 = dt.datetime(2026, 1, 5, 21, 0, tzinfo=london)
    spec = "mon-fri 09:00-21:00; sat,sun 12:00-18:00"
    assert hours.is_open(spec, monday_10) and not hours.is_open(spec, monday_21) and not hours.is_open(spec, sunday_10)
    assert hours.is_open("always", sunday_10) and not hours.is_open("never", monday_10)
    assert hours.is_open("fri-mon 00:00-24:00", sunday_10)
    for bad in ["", "mon", "funday 09:00-10:00", "mon 10:00-09:00", "mon 09:00-25:00", "x" * 600]:
        with pytest.raises(hours.HoursError):
            hours.parse(bad)
        assert not hours.is_open(bad, monday_10)  # a broken setting never claims staff are there
