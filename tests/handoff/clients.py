"""Test clients for handoff: a socket.io user (like the web chat) and a console agent over HTTP.

The console's cookies are `Secure` (`__Host-` prefixed); over plain HTTP on 127.0.0.1 a normal
cookie jar would refuse to send them, so ConsoleClient keeps its cookies itself.
"""
from __future__ import annotations

import http.cookies
import json
import queue
import re
import secrets
import subprocess
import sys
import time
import uuid
from typing import Any, Callable, Dict, List, Optional

import requests
import socketio

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def create_account(stack, role: str, username: Optional[str] = None, password: Optional[str] = None):
    """Create a staff account with the real CLI (password on stdin). Returns (username, password)."""
    username = username or f"{role}-{secrets.token_hex(4)}"
    password = password or secrets.token_urlsafe(18)
    result = subprocess.run([sys.executable, "-m", "handoff.console", "create-user", "--username", username,
                             "--role", role, "--password-stdin"], input=password + "\n", text=True,
                            capture_output=True, env=stack.env(), cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return username, password


class ConsoleClient:
    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.cookies: Dict[str, str] = {}
        self.csrf: Optional[str] = None
        self.http = requests.Session()
        self.http.trust_env = False

    # ----- plumbing -----
    def _cookie_header(self) -> Dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _remember(self, response: requests.Response) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, headers: Optional[Dict[str, str]] = None, **kwargs) -> requests.Response:
        self.http.cookies.clear()
        response = self.http.request(method, self.base + path, headers={**self._cookie_header(), **(headers or {})},
                                     allow_redirects=False, timeout=kwargs.pop("timeout", 30), **kwargs)
        self._remember(response)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post_json(self, path: str, body: Any = None, csrf: bool = True, headers: Optional[Dict[str, str]] = None,
                  **kwargs) -> requests.Response:
        extra = headers or {}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        headers.update(extra)
        return self.request("POST", path, headers=headers, data=json.dumps(body or {}), **kwargs)

    # ----- signing in -----
    @staticmethod
    def hidden_token(html: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match, "no csrf_token field"
        return match.group(1)

    def login(self, username: str, password: str, expect: int = 303) -> requests.Response:
        page = self.get("/login")
        assert page.status_code == 200
        token = self.hidden_token(page.text)
        response = self.request("POST", "/login", data={"csrf_token": token, "username": username, "password": password})
        assert response.status_code == expect, (response.status_code, response.text[:300])
        if response.status_code == 303:
            self.refresh_csrf()
        return response

    def refresh_csrf(self) -> str:
        home = self.get("/")
        assert home.status_code == 200, home.status_code
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', home.text).group(1)
        return self.csrf

    def logout(self) -> None:
        if self.csrf:
            self.request("POST", "/logout", data={"csrf_token": self.csrf})

    # ----- the agent's API -----
    def queue(self) -> Dict[str, Any]:
        response = self.get("/api/queue")
        assert response.status_code == 200, response.text
        return response.json()

    def waiting_ids(self) -> List[str]:
        return [e["conversation_id"] for e in self.queue()["waiting"]]

    def set_available(self, value: bool) -> None:
        assert self.post_json("/api/availability", {"available": value}).status_code == 200

    def claim(self, conversation_id: str) -> requests.Response:
        return self.post_json(f"/api/conversations/{conversation_id}/claim")

    def send(self, conversation_id: str, text: str) -> requests.Response:
        return self.post_json(f"/api/conversations/{conversation_id}/messages", {"text": text})

    def end(self, conversation_id: str) -> requests.Response:
        return self.post_json(f"/api/conversations/{conversation_id}/end")

    def messages(self, conversation_id: str, after: int = -1) -> requests.Response:
        return self.get(f"/api/conversations/{conversation_id}/messages?after={after}")

    def wait_until(self, predicate: Callable[[], Any], timeout: float = 15.0, interval: float = 0.1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise AssertionError("timed out waiting for the console")


class SocketUser:
    """A person on the web chat: socket.io with session persistence, like rasa-webchat."""

    def __init__(self, rasa_url: str, session_id: Optional[str] = None, origin: Optional[str] = None):
        self.rasa_url = rasa_url
        self.origin = origin  # the chat page's origin (Rasa only accepts sockets from its --cors origins)
        self.session_id = session_id or uuid.uuid4().hex
        self.inbox: "queue.Queue[tuple]" = queue.Queue()
        extra = {"origin": origin} if origin else {}
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=2,
                                      websocket_extra_options=extra)
        self.client.on("connect", self._on_connect)
        self.client.on("bot_uttered", self._on_bot)
        self.ready = False

    def _on_connect(self) -> None:
        self.client.emit("session_request", {"session_id": self.session_id})

    def _on_bot(self, data=None) -> None:
        self.inbox.put((time.monotonic(), data))

    def connect(self) -> "SocketUser":
        self.client.connect(self.rasa_url, transports=["websocket"], wait_timeout=10)
        time.sleep(0.2)  # let session_request join the room
        return self

    def say(self, text: str) -> float:
        sent = time.monotonic()
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        return sent

    def collect(self, seconds: float) -> List[Dict[str, Any]]:
        """Every message that arrives within ``seconds``."""
        found, deadline = [], time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return found
            try:
                found.append(self.inbox.get(timeout=left)[1])
            except queue.Empty:
                return found

    def drain(self) -> List[Dict[str, Any]]:
        """Messages already received and not yet looked at."""
        found = []
        while True:
            try:
                found.append(self.inbox.get_nowait()[1])
            except queue.Empty:
                return found

    def wait_for(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 15.0):
        """(arrival time, message) of the first message matching; messages before it are returned too."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching message in {timeout} s; got {seen}")
            try:
                at, message = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            seen.append(message)
            if isinstance(message, dict) and predicate(message):
                return at, message, seen

    def wait_handoff(self, status: str, timeout: float = 15.0):
        return self.wait_for(lambda m: (m.get("handoff") or {}).get("status") == status, timeout)

    def close(self) -> None:
        try:
            self.client.disconnect()
        except Exception:
            pass


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages if isinstance(m, dict) and m.get("text"))
