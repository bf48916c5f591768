"""The public chat page's socket.io channel with rooms shared across Rasa processes through Redis.

Rasa's SocketIOInput builds its own ``AsyncServer`` with the default in-process client manager,
so an emit (a reply, or a member of staff's message pushed through the HTTP API with
``output_channel=socketio``) only reaches sockets held by the same process. This channel is
webchat's origin-checked channel (same name ``socketio``, same events) whose server gets
python-socketio's ``AsyncRedisManager`` before any client connects: an emit to a user's room is
published on Redis and every process delivers it to the sockets it holds.

Settings (env): SAFEGUARD_SOCKETIO_REDIS_URL (default ``redis://127.0.0.1:6379/0``),
SAFEGUARD_SOCKETIO_CHANNEL (default ``safeguard-socketio``; every process of one deployment
must use the same). Redis must be private to the deployment: the manager exchanges pickled data.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from socketio import AsyncRedisManager

from webchat.socket_channel import OriginCheckedSocketIOInput

logger = logging.getLogger(__name__)


def redis_manager() -> AsyncRedisManager:
    url = os.environ.get("SAFEGUARD_SOCKETIO_REDIS_URL", "redis://127.0.0.1:6379/0")
    channel = os.environ.get("SAFEGUARD_SOCKETIO_CHANNEL", "safeguard-socketio")
    return AsyncRedisManager(url, channel=channel, redis_options={"socket_timeout": 5, "socket_connect_timeout": 5})


class RedisSocketIOInput(OriginCheckedSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        if sio.manager_initialized:  # pragma: no cover - nothing has connected before the app starts
            raise RuntimeError("socket.io server already in use; cannot switch its client manager")
        manager = redis_manager()
        manager.set_server(sio)
        sio.manager = manager
        logger.info("socket.io rooms shared through Redis channel %s", manager.channel)
        return blueprint
