"""Helpers shared by the tests: free ports, a REST client for the running assistant."""
from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method: str, url: str, body: Any = None, headers: Optional[Dict[str, str]] = None,
         raw: Optional[bytes] = None, timeout: float = 30.0):
    """Return (status, parsed JSON or text). Never raises on HTTP errors."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload.decode() or "null")
    except (ValueError, UnicodeDecodeError):
        return status, payload.decode(errors="replace")


class RestUser:
    """One person talking to the assistant over the REST channel."""

    def __init__(self, rasa_url: str, sender: Optional[str] = None):
        self.rasa_url = rasa_url
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> List[Dict[str, Any]]:
        status, replies = http("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                               {"sender": self.sender, "message": text})
        assert status == 200, (status, replies)
        return replies

    @staticmethod
    def text(replies: List[Dict[str, Any]]) -> str:
        return "\n".join(r.get("text", "") for r in replies if r.get("text"))


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def headless_chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright's Python client (no browser download); for fixtures."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (scripts/install_system.sh)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def started(stack: Any, timeout: float = 240) -> Iterator[Any]:
    """Start a Stack for a fixture; if it fails, show the tail of each log; always stop it."""
    try:
        stack.start(timeout=timeout)
    except Exception:
        for log in (stack.state_dir / "logs").glob("*.log"):
            sys.stderr.write(f"----- {log.name} -----\n{log.read_text(errors='replace')[-4000:]}\n")
        stack.stop()
        raise
    try:
        yield stack
    finally:
        stack.stop()
