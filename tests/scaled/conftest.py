"""One scaled-out stack per session for the fault tests: 2 Rasa processes + 2 action servers on a
fresh PostgreSQL database and a Redis key prefix / socket.io channel of their own."""
from __future__ import annotations

import secrets
import sys
import uuid

import pytest
import sqlalchemy as sa

from scaled.stack import Backends, ScaledStack
from scripts.stack import Ports
from tests.support import free_port


def _reachable(backends: Backends) -> str:
    try:
        backends.ensure_database()
        backends.check_redis()
    except ConnectionError as error:
        return str(error)
    return ""


@pytest.fixture(scope="session")
def scaled(model_path, tmp_path_factory):
    state = tmp_path_factory.mktemp("scaled")
    tag = uuid.uuid4().hex[:10]
    backends = Backends(pg_db=f"safeguard_test_{tag}", redis_db=2, redis_prefix=f"t{tag}",
                        socketio_channel=f"safeguard-test-{tag}")
    problem = _reachable(backends)
    if problem:
        pytest.fail(f"the scaled-out tests need PostgreSQL and Redis on loopback: {problem}")
    stack = ScaledStack(
        replicas=2, backends=backends, with_console=False, with_webchat=False,
        ports=Ports(rasa=free_port(), actions=free_port(), console=free_port(), webchat=free_port()),
        model=model_path, state_dir=state, token=secrets.token_urlsafe(24), quiet=True,
        extra_env={"CONSOLE_SECRET_KEY": secrets.token_urlsafe(24), "SAFEGUARD_DB_RETRY": "30"})
    try:
        stack.start(timeout=300)
    except Exception:
        for log in (state / "logs").glob("*.log"):
            sys.stderr.write(f"----- {log.name} -----\n{log.read_text(errors='replace')[-4000:]}\n")
        stack.stop()
        backends.drop_database()
        raise
    stack.db = sa.create_engine(backends.pg_url(), pool_pre_ping=True)
    yield stack
    stack.stop()
    stack.db.dispose()
    backends.drop_database()
