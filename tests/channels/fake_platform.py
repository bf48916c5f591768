"""A stand-in for the Telegram Bot API, the Messenger Send API and Twilio's Messages API, on
loopback. It records every call so tests can read what a user would have received."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlparse

TELEGRAM_PATH = re.compile(r"^/telegram/bot(?P<token>[^/]+)/(?P<method>\w+)$")
MESSENGER_PATH = re.compile(r"^/messenger/me/messages$")
TWILIO_PATH = re.compile(r"^/twilio/2010-04-01/Accounts/(?P<sid>\w+)/Messages\.json$")


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                parsed = urlparse(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                call: Dict[str, Any] = {"path": parsed.path, "query": parse_qs(parsed.query),
                                        "headers": dict(self.headers), "time": time.monotonic()}
                if "json" in (self.headers.get("Content-Type") or ""):
                    call["json"] = json.loads(raw or b"null")
                else:
                    call["form"] = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                status, answer = fake.answer(call)
                with fake.lock:
                    fake.calls.append(call)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, call: Dict[str, Any]):
        if TELEGRAM_PATH.match(call["path"]):
            call["platform"] = "telegram"
            return 200, {"ok": True, "result": {"message_id": len(self.calls) + 1}}
        if MESSENGER_PATH.match(call["path"]):
            call["platform"] = "facebook"
            return 200, {"recipient_id": call["json"]["recipient"]["id"], "message_id": f"m_{len(self.calls)}"}
        if TWILIO_PATH.match(call["path"]):
            call["platform"] = "twilio"
            return 201, {"sid": f"SM{len(self.calls):032d}", "status": "queued"}
        call["platform"] = None
        return 404, {"error": "unknown path"}

    def start(self) -> "FakePlatforms":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- reading what a user received
    def received(self, recipient: str) -> List[Dict[str, Any]]:
        """Messages sent to one user, as {"text": ..., "buttons": [...]} in order, any platform."""
        out = []
        with self.lock:
            calls = list(self.calls)
        for call in calls:
            if call["platform"] == "telegram" and call["path"].endswith("/sendMessage"):
                body = call["json"]
                if str(body["chat_id"]) == recipient:
                    keyboard = (body.get("reply_markup") or {}).get("inline_keyboard") or []
                    out.append({"text": body["text"], "buttons": [b for row in keyboard for b in row], "call": call})
            elif call["platform"] == "facebook":
                body = call["json"]
                if body["recipient"]["id"] == recipient:
                    out.append({"text": body["message"].get("text", ""),
                                "buttons": body["message"].get("quick_replies") or [], "call": call})
            elif call["platform"] == "twilio":
                if call["form"].get("To") == recipient:
                    out.append({"text": call["form"]["Body"], "buttons": [], "call": call})
        return out

    def texts(self, recipient: str) -> List[str]:
        return [m["text"] for m in self.received(recipient)]

    def wait_for(self, recipient: str, count: int = 1, timeout: float = 20.0) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.received(recipient)
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        return self.received(recipient)

    def calls_to(self, platform: str, method: Optional[str] = None) -> List[Dict[str, Any]]:
        with self.lock:
            return [c for c in self.calls if c["platform"] == platform and (method is None or c["path"].endswith(method))]
