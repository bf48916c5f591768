"""Server-side calls to the Rasa HTTP API (the token stays on the server, never in a browser).

- ``transcript``: the user and bot messages so far, from the tracker.
- ``push``: append events (bot messages, resume, action_listen) and deliver bot messages to the
  user's channel (`execute_side_effects=true`, `output_channel=<their channel>`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from handoff import config, payloads


class RasaError(RuntimeError):
    pass


class RasaClient:
    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, timeout: float = 10.0):
        self.url = (url or config.rasa_url()).rstrip("/")
        self.token = token if token is not None else config.rasa_token()
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _path(self, conversation_id: str, suffix: str) -> str:
        # keep '+', ':' and '@' as they are: Rasa 3.6 does not decode %2B, so an SMS sender '+447…'
        # quoted as '%2B447…' would become a different conversation.
        return f"{self.url}/conversations/{quote(conversation_id, safe='+:@')}/{suffix}"

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        session = await self.session()
        try:
            async with session.get(self._path(conversation_id, "tracker"),
                                   params={"token": self.token, "include_events": "ALL"}) as response:
                if response.status != 200:
                    raise RasaError(f"tracker request failed with HTTP {response.status}")
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaError(f"assistant not reachable: {type(error).__name__}") from error

    async def push(self, conversation_id: str, channel: str, events: List[Dict[str, Any]]) -> None:
        session = await self.session()
        params = {"token": self.token, "execute_side_effects": "true", "output_channel": channel or "latest"}
        try:
            async with session.post(self._path(conversation_id, "tracker/events"), params=params,
                                    json=events) as response:
                if response.status != 200:
                    raise RasaError(f"posting events failed with HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaError(f"assistant not reachable: {type(error).__name__}") from error


def transcript(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """User and bot messages in order: {"index", "from": "user"|"bot"|"staff", "text", "at", "handoff"}."""
    messages: List[Dict[str, Any]] = []
    for index, event in enumerate(tracker.get("events") or []):
        kind = event.get("event")
        if kind == "user":
            text = event.get("text") or ""
            messages.append({"index": index, "from": "user", "text": text, "at": event.get("timestamp")})
        elif kind == "bot":
            data = event.get("data") or {}
            metadata = event.get("metadata") or {}
            handoff = payloads.unwrap(data.get("custom"))
            text = event.get("text") or ""
            if not text and handoff is None:
                continue
            messages.append({"index": index, "from": "staff" if metadata.get("staff_message") else "bot",
                             "text": text, "at": event.get("timestamp"),
                             "handoff": handoff["handoff"].get("status") if handoff else None})
    return messages


def latest_input_channel(tracker: Dict[str, Any]) -> Optional[str]:
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user" and event.get("input_channel"):
            return event["input_channel"]
    return None


def bot_event(text: str, custom: Optional[Dict[str, Any]] = None, staff: bool = False) -> Dict[str, Any]:
    event: Dict[str, Any] = {"event": "bot", "text": text}
    if custom is not None:
        event["data"] = {"custom": custom}
    if staff:
        event["metadata"] = {"staff_message": True}
    return event
