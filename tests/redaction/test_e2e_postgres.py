"""Through the real server with PostgreSQL: identifiers never reach the stored rows."""
from __future__ import annotations

import secrets
import uuid

import pytest
import sqlalchemy as sa

from scripts.stack import Ports, Stack
from tests.redaction.helpers import CONVERSATION_WITH, FORBIDDEN, routes_in, stored_rows_text
from tests.support import RestUser, free_port, started

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def pg_database():
    name = f"redaction_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {error.orig}")
    yield name
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="module")
def pg_stack(stack, pg_database, tmp_path_factory):
    """A second Rasa server on PostgreSQL, sharing the main stack's action server."""
    state = tmp_path_factory.mktemp("pg-state")
    endpoints = state / "endpoints.yml"
    endpoints.write_text(
        'action_endpoint:\n  url: "http://127.0.0.1:${ACTIONS_PORT}/webhook"\n'
        "tracker_store:\n  type: redaction.store.RedactingSQLTrackerStore\n  dialect: postgresql\n"
        f"  url: 127.0.0.1\n  port: 5432\n  db: {pg_database}\n  username: postgres\n")
    running = Stack(ports=Ports(rasa=free_port(), actions=stack.ports.actions, console=free_port(), webchat=free_port()),
                    model=stack.model, endpoints=endpoints, state_dir=state, token=secrets.token_urlsafe(24),
                    with_console=False, with_webchat=False, with_actions=False, quiet=True,
                    extra_env={"SAFEGUARD_DB_URL": f"postgresql://postgres@127.0.0.1:5432/{pg_database}"})
    yield from started(running)


def test_planted_identifiers_never_stored_in_postgres(pg_stack, pg_database):
    user = RestUser(pg_stack.rasa_url)
    routes = [routes_in(user.say(text)) for text in CONVERSATION_WITH]
    assert "utter_route_childline" in routes[1]  # "im 12" after the disclosure: routed from the stored state
    engine = sa.create_engine(f"postgresql://postgres@127.0.0.1:5432/{pg_database}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT sender_id, type_name, intent_name, action_name, data FROM events "
                                              "WHERE sender_id = :s ORDER BY id"), {"s": user.sender}).fetchall()
    finally:
        engine.dispose()
    assert len([r for r in rows if r[1] == "user"]) == len(CONVERSATION_WITH)
    stored = stored_rows_text(rows)
    leaked = [word for word in FORBIDDEN if word in stored]
    assert not leaked, leaked
    assert "<name>" in stored and "<phone>" in stored and "<school>" in stored
    log = (pg_stack.state_dir / "logs" / "rasa.log").read_text(errors="replace")
    assert "RedactingSQLTrackerStore (postgresql)" in log
