"""Rasa's REST channel, answering 503 with a clear error when a message could not be handled.

The stock channel answers 200 with whatever was collected even when handling failed (Redis lock
store down, database gone past the store's retries): the sender cannot tell a reply that was
stored from one that was lost. This channel keeps the stock route, events and name (``rest``)
and turns such a turn into ``503 {"error": "unavailable", "message": ...}`` with no bot replies,
so the sender knows to send it again. A body that is not ``{"sender": text, "message": text}``
(nested values, a non-object body, a message over SAFEGUARD_MAX_MESSAGE_CHARS characters) gets
``400 {"error": "bad_request", ...}`` before it reaches Rasa. Enabled in credentials.scaled.yml.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response

from scaled import failures

logger = logging.getLogger(__name__)
UNAVAILABLE_MESSAGE = ("The assistant could not take your message just now. Please send it again in a "
                       "moment. If you are in danger, please call the emergency services now.")


MAX_MESSAGE_CHARS = int(os.environ.get("SAFEGUARD_MAX_MESSAGE_CHARS", "5000"))
MAX_SENDER_CHARS = 200


def problem_with(body: Any) -> Optional[str]:
    """Why a webhook body cannot be handled, or None when it can."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, (str, int)) or (isinstance(sender, bool)
                                               or not str(sender).strip() or len(str(sender)) > MAX_SENDER_CHARS):
        return f"sender must be a non-empty text of at most {MAX_SENDER_CHARS} characters"
    if not isinstance(message, str):
        return "message must be a text"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"message must be at most {MAX_MESSAGE_CHARS} characters"
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return "metadata must be a JSON object"
    return None


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except Exception as error:  # lock store, tracker store: the cause is logged, the user is told
                failures.mark(f"{type(error).__name__}")
                logger.error("message not handled: %s", type(error).__name__)
                raise

        blueprint = super().blueprint(guarded)

        @blueprint.middleware("request")
        async def start_turn(request):
            failures.reset()
            if request.method == "POST":
                try:
                    body = json.loads(request.body or b"null")
                except (ValueError, UnicodeDecodeError):
                    body = None
                problem = problem_with(body)
                if problem:
                    return response.json({"error": "bad_request", "message": problem}, status=400)
            return None

        @blueprint.middleware("response")
        async def report_failure(request, _response):
            reason = failures.current()
            failures.reset()
            if reason is not None and request.method == "POST":
                return response.json({"error": "unavailable", "reason": reason, "message": UNAVAILABLE_MESSAGE},
                                     status=503, headers={"Retry-After": "5"})
            return None

        return blueprint
