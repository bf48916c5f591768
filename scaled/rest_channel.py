"""Rasa's REST channel, answering 503 with a clear error when a message could not be handled.

The stock channel answers 200 with whatever was collected even when handling failed (Redis lock
store down, database gone past the store's retries): the sender cannot tell a reply that was
stored from one that was lost. This channel keeps the stock route, events and name (``rest``)
and turns such a turn into ``503 {"error": "unavailable", "message": ...}`` with no bot replies,
so the sender knows to send it again. A body that is not ``{"sender": text, "message": text}``
is refused with 400/413 and a reason by CheckedRestInput (channels/rest_input.py), as in the default profile. Enabled in credentials.scaled.yml.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response

from channels.rest_input import CheckedRestInput
from scaled import failures

logger = logging.getLogger(__name__)
UNAVAILABLE_MESSAGE = ("The assistant could not take your message just now. Please send it again in a "
                       "moment. If you are in danger, please call the emergency services now.")


class GuardedRestInput(CheckedRestInput):
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
            failures.reset()  # the body itself is checked by CheckedRestInput (400/413 with a reason)
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
