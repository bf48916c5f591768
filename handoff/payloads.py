"""The `handoff` custom payload contract (docs/architecture.md) and how to send it per channel."""
from __future__ import annotations

from typing import Any, Dict, Optional

QUEUED, UNAVAILABLE, CONNECTED, ENDED = "queued", "unavailable", "connected", "ended"
OUT_OF_HOURS, NO_STAFF = "out_of_hours", "no_staff"


def queued(position: int, wait_minutes: int) -> Dict[str, Any]:
    return {"handoff": {"status": QUEUED, "position": int(position), "wait_minutes": int(wait_minutes)}}


def unavailable(reason: str) -> Dict[str, Any]:
    return {"handoff": {"status": UNAVAILABLE, "reason": reason}}


def connected() -> Dict[str, Any]:
    return {"handoff": {"status": CONNECTED}}


def ended() -> Dict[str, Any]:
    return {"handoff": {"status": ENDED}}


def for_channel(payload: Dict[str, Any], channel: Optional[str]) -> Dict[str, Any]:
    """The `custom` value that makes ``channel`` deliver exactly ``payload``.

    Rasa 3.6's socket.io output emits a custom message as ``sio.emit(evt, **custom)``, so the
    payload must sit under ``data`` to arrive as the event's data; other channels send the
    custom value as it is (REST: ``{"recipient_id": ..., "custom": payload}``).
    """
    if channel == "socketio":
        return {"data": payload}
    return payload


def unwrap(custom: Any) -> Optional[Dict[str, Any]]:
    """The handoff payload inside a stored `custom` value, whichever channel it was sent for."""
    if isinstance(custom, dict):
        if isinstance(custom.get("handoff"), dict):
            return custom
        inner = custom.get("data")
        if isinstance(inner, dict) and isinstance(inner.get("handoff"), dict):
            return inner
    return None
