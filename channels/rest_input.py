"""The REST channel with its input checked before anything reaches the assistant.

Rasa's own RestInput answers a body that is not a JSON object with a 500, files messages
without a sender under one shared conversation ("default"), and passes numbers or lists
through as text. This one answers 400 with a plain reason instead, strips control
characters, and refuses a message over MAX_MESSAGE_CHARS with 413. Its name is still
`rest`, so the address stays /webhooks/rest/webhook.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from service_catalogue import load_services

logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 20_000
MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 4_096
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class InputError(ValueError):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def clean_text(text: str) -> str:
    """Drop control characters (binary noise); keep every letter, emoji, new line and tab."""
    return _CONTROL.sub("", text)


def parse_body(raw: bytes) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """Return (sender, text, metadata) from a request body, or raise InputError."""
    try:
        body = json.loads(raw.decode("utf-8") if raw else "")
    except (UnicodeDecodeError, ValueError):
        raise InputError(400, "The request body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}.")
    if not isinstance(body, dict):
        raise InputError(400, "The request body must be a JSON object with 'sender' and 'message'.")
    return parse_fields(body.get("sender"), body.get("message"), body.get("metadata"))


def parse_fields(sender: Any, text: Any, metadata: Any) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS \
            or _CONTROL.search(sender):
        raise InputError(400, f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters.")
    if not isinstance(text, str):
        raise InputError(400, "'message' must be a string (it may be empty).")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(413, f"The message is too long: please send at most {MAX_MESSAGE_CHARS} characters at a time.")
    if metadata is not None and (not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA_BYTES):
        raise InputError(400, f"'metadata' must be a JSON object of at most {MAX_METADATA_BYTES} bytes.")
    return sender.strip(), clean_text(text), metadata


def check_socket_message(data: Any) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """The socket.io `user_uttered` payload: {"message": str, "session_id": str, "metadata"?: {...}}."""
    if not isinstance(data, dict):
        raise InputError(400, "Sorry, I couldn't read that message. Please type it again.")
    return parse_fields(data.get("session_id"), data.get("message"), data.get("metadata"))


def something_went_wrong() -> str:
    emergency = load_services()["emergency"]["phone"]
    childline = load_services()["childline"]
    return (f"Sorry, something went wrong on our side. If you or someone else is in danger, call {emergency}. "
            f"Under 19? Call Childline free on {childline['phone']}, any time.")


class CheckedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_body(request.body)
            except InputError as error:
                return response.json({"error": error.reason}, status=error.status)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                 metadata=metadata))
            except Exception:  # never a 500 for the person; never their words in the log
                logger.exception("rest: a message could not be handled (text not logged)")
                collector.messages.append({"recipient_id": sender, "text": something_went_wrong()})
            return response.json(collector.messages)

        return webhook
