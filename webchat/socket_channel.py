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
``rasa run --cors``), else ``http://127.0.0.1:$WEBCHAT_PORT`` and ``http://localhost:$WEBCHAT_PORT``;
and the Rasa server's own origin (``$RASA_URL``, ``http://127.0.0.1:$RASA_PORT``, ``http://localhost:$RASA_PORT``).
Enabled in credentials.yml as ``webchat.socket_channel.OriginCheckedSocketIOInput``.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response

from channels.rest_input import InputError, check_socket_message

logger = logging.getLogger(__name__)
UNREADABLE = "Sorry, I couldn't read that message. Please type it again."
TOO_LONG = "That message is too long for me. Please send it in shorter parts."


def allowed_origins(environ: Optional[dict] = None) -> FrozenSet[str]:
    """The chat page's origins, plus the Rasa server's own (same-origin clients such as
    Python's websocket-client send it). Never derived from the request's Host header, which a
    DNS-rebinding page controls."""
    env = os.environ if environ is None else environ
    configured = env.get("WEBCHAT_ORIGINS", "").split()
    if configured:
        pages = {origin.rstrip("/") for origin in configured}
    else:
        port = env.get("WEBCHAT_PORT", "8080")
        pages = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    rasa_port = env.get("RASA_PORT", "5005")
    own = {f"http://127.0.0.1:{rasa_port}", f"http://localhost:{rasa_port}"}
    if env.get("RASA_URL"):
        own.add(env["RASA_URL"].rstrip("/"))
    return frozenset(pages | own)


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
        self._check_inputs(blueprint.ctx.sio)
        return blueprint

    def _check_inputs(self, sio: Any) -> None:
        """Wrap the stock handlers: a malformed event gets a plain reply, never an exception."""
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]
        session_request = sio.handlers[namespace]["session_request"]

        async def checked_message(sid: str, data: Any = None) -> None:
            if isinstance(data, dict) and not self.session_persistence:
                data = {**data, "session_id": sid}
            try:
                session_id, text, metadata = check_socket_message(data)
            except InputError as error:
                reply = TOO_LONG if error.status == 413 else UNREADABLE
                await sio.emit(self.bot_message_evt, {"text": reply}, room=sid, namespace=namespace)
                return
            cleaned: Dict[str, Any] = {"message": text, "session_id": session_id}
            if metadata is not None:
                cleaned[self.metadata_key] = metadata
            await handle_message(sid, cleaned)

        async def checked_session(sid: str, data: Any = None) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            valid = isinstance(wanted, str) and 0 < len(wanted) <= 128 and wanted.isprintable()
            await session_request(sid, {"session_id": wanted if valid else None})

        sio.on(self.user_message_evt, checked_message, namespace=namespace)
        sio.on("session_request", checked_session, namespace=namespace)
