"""Fixtures for the public chat page: its address on the running stack, and headless Chromium."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, List

import pytest

from tests.support import headless_chromium, http

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "results" / "screenshots"
AXE = ROOT / "webchat" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def webchat_url(stack) -> str:
    if "webchat" not in stack.processes:
        pytest.fail("the stack did not start webchat.server")
    return f"http://127.0.0.1:{stack.ports.webchat}"


@pytest.fixture(scope="module")
def browser(stack):
    """Chromium for one test module (Playwright's sync API holds an event loop while it runs)."""
    yield from headless_chromium()


@pytest.fixture
def context(browser):
    """A fresh browser profile (own storage) per test, at desktop size."""
    created = browser.new_context(viewport=DESKTOP)
    yield created
    created.close()


@pytest.fixture
def console_errors(context) -> Iterator[List[str]]:
    """Errors the page logs (a CSP violation shows up here)."""
    errors: List[str] = []
    context.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield errors


def push_bot_event(stack, session_id: str, text: str = "", custom=None) -> None:
    """Send a bot message to a socket.io session through Rasa's HTTP API (as the staff console does).

    Rasa 3.6's socket.io output emits ``custom`` as keyword arguments of ``sio.emit``, so a payload
    reaches the page as the event's data only when it sits under ``data`` (handoff/payloads.py).
    """
    event = {"event": "bot", "text": text or None}
    if custom is not None:
        event["data"] = {"custom": {"data": custom}}
    status, body = http("POST", f"{stack.rasa_url}/conversations/{session_id}/tracker/events"
                                f"?output_channel=socketio&execute_side_effects=true&token={stack.token}", event)
    assert status == 200, (status, body)
