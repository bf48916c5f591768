"""Rasa's socket.io channel, refusing connections from web pages that are not ours.

Rasa 3.6 builds its socket.io server with ``cors_allowed_origins=[]``, which turns the
Engine.IO origin check off; ``rasa run --cors`` only adds CORS headers to HTTP responses, and
browsers apply no CORS rule to WebSockets. So any web site could open the assistant's socket
from a visitor's browser. This channel keeps everything else of the stock channel (same name
``socketio``, same events, same output, so ``output_channel=socketio`` still works) and answers
403 to any socket.io request whose ``Origin`` header is not one of the configured page origins.

Requests without an ``Origin`` header (scripts, tests, server-to-server) are let through: only
browsers send one, and only browsers can be made to act for a visitor by another site.

Allowed origins: env ``WEBCHAT_ORIGINS`` (space separated, what scripts/stack.py also passes to
``rasa run --cors``), else ``http://127.0.0.1:$WEBCHAT_PORT`` and ``http://localhost:$WEBCHAT_PORT``.
Enabled in credentials.yml as ``webchat.socket_channel.OriginCheckedSocketIOInput``.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, FrozenSet, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response

logger = logging.getLogger(__name__)


def allowed_origins(environ: Optional[dict] = None) -> FrozenSet[str]:
    env = os.environ if environ is None else environ
    configured = env.get("WEBCHAT_ORIGINS", "").split()
    if configured:
        return frozenset(origin.rstrip("/") for origin in configured)
    port = env.get("WEBCHAT_PORT", "8080")
    return frozenset({f"http://127.0.0.1:{port}", f"http://localhost:{port}"})


def origin_allowed(origin: Optional[str], allowed: FrozenSet[str]) -> bool:
    return origin is None or origin in allowed


class OriginCheckedSocketIOInput(SocketIOInput):
    """The stock ``socketio`` channel plus an Origin check on every socket.io request."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = blueprint.ctx.sio.eio
        allowed = allowed_origins()
        handle_request = engine.handle_request

        # The Sanic driver of Engine.IO routes both polling and the WebSocket upgrade to
        # `engine.handle_request` when the blueprint is registered: check the origin first.
        async def origin_checked_request(request, *args: Any, **kwargs: Any):
            origin = request.headers.get("origin")
            if not origin_allowed(origin, allowed):
                logger.warning("socket.io request refused: origin not allowed")
                return response.text("Not an accepted origin.", status=403)
            return await handle_request(request, *args, **kwargs)

        engine.handle_request = origin_checked_request
        logger.info("socket.io accepts page origins: %s", " ".join(sorted(allowed)))
        return blueprint
