"""Shared fixtures. The model is trained once per run (`make test` trains before pytest);
the real servers are started once per session and shared by every end-to-end test."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import Ports, Stack  # noqa: E402
from tests.support import free_port, headless_chromium, started  # noqa: E402

MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it first)")
    return MODEL


@pytest.fixture(scope="session")
def stack(model_path, tmp_path_factory):
    """The whole assistant (actions, Rasa, console and web page when present) on free ports."""
    state = tmp_path_factory.mktemp("state")
    running = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), console=free_port(), webchat=free_port()),
        model=model_path, state_dir=state, token=secrets.token_urlsafe(24), quiet=True,
        extra_env={"CONSOLE_SECRET_KEY": secrets.token_urlsafe(24),
                   "SAFEGUARD_DB_URL": f"sqlite:///{state / 'rasa.db'}",
                   # the chat page's quick exit goes to a page on its own server (no internet in tests)
                   "WEBCHAT_EXIT_URL": "/neutral.html"},
    )
    yield from started(running)


@pytest.fixture(scope="session")
def rasa_url(stack) -> str:
    return stack.rasa_url


@pytest.fixture
def browser():
    """Headless Debian Chromium for one test (tests/webchat keeps one per module)."""
    yield from headless_chromium()
