"""Facebook Messenger: Rasa's FacebookInput with a stricter webhook and an aiohttp output channel.

Rasa's connector checks the SHA-1 ``X-Hub-Signature`` but answers 200 "not validated" when it
fails and sends through ``fbmessenger`` (requests, fixed graph.facebook.com). Ours requires the
SHA-256 ``X-Hub-Signature-256``, answers 403, refuses replayed message ids, and posts to
MESSENGER_API_BASE (default https://graph.facebook.com/v18.0).
"""
from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput as RasaFacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import formatting, replay
from channels.base import PlatformOutput, deliver, setting
from channels.verify import hub_signature_ok

logger = logging.getLogger(__name__)
DEFAULT_API_BASE = "https://graph.facebook.com/v18.0"


class MessengerOutput(PlatformOutput):
    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, page_access_token: str, api_base: str) -> None:
        super().__init__()
        self.page_access_token = page_access_token
        self.api_base = api_base.rstrip("/")

    def limit(self, recipient_id: str, text: str) -> int:
        return formatting.MESSENGER_LIMIT

    def native_buttons(self, buttons: List[Dict[str, Any]]) -> bool:
        return 0 < len(buttons) <= formatting.MESSENGER_MAX_QUICK_REPLIES and all(
            0 < len(str(b.get("title", ""))) <= formatting.MESSENGER_QUICK_REPLY_TITLE
            and 0 < len(str(b.get("payload", ""))) <= 1000 for b in buttons)

    async def send_part(self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> None:
        message: Dict[str, Any] = {"text": text}
        if buttons:
            message["quick_replies"] = [
                {"content_type": "text", "title": str(b["title"]), "payload": str(b["payload"])} for b in buttons]
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": message}
        await self.post(f"{self.api_base}/me/messages", json=body, params={"access_token": self.page_access_token})


class FacebookInput(RasaFacebookInput):
    """Webhook at /webhooks/facebook/webhook (GET for Meta's subscription check, POST for messages)."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "FacebookInput":
        return cls(
            setting(credentials, "verify", "MESSENGER_VERIFY_TOKEN"),
            setting(credentials, "secret", "MESSENGER_APP_SECRET"),
            setting(credentials, "page-access-token", "MESSENGER_PAGE_ACCESS_TOKEN"),
            api_base=setting(credentials, "api_base", "MESSENGER_API_BASE", DEFAULT_API_BASE),
        )

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str, api_base: str = DEFAULT_API_BASE) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        if not (fb_verify and fb_secret and fb_access_token):
            raise ValueError("facebook needs MESSENGER_VERIFY_TOKEN, MESSENGER_APP_SECRET and MESSENGER_PAGE_ACCESS_TOKEN")
        self.api_base = api_base

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.fb_access_token, self.api_base)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safeguard_facebook_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def subscribe(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                    token.encode("utf-8", "replace"), self.fb_verify.encode("utf-8")):
                return response.text(str(request.args.get("hub.challenge") or ""))
            return response.text("forbidden", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not hub_signature_ok(self.fb_secret, request.body, request.headers.get("X-Hub-Signature-256")):
                logger.warning("refused a facebook request with a missing or wrong signature")
                return response.text("forbidden", status=403)
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                return response.text("malformed JSON", status=400)
            if not isinstance(body, dict) or not isinstance(body.get("entry", []), list):
                return response.text("not a Messenger webhook", status=400)
            if body.get("object") != "page":
                return response.text("ignored")
            events = list(_message_events(body))
            fresh = [(sender, text, payload) for mid, sender, text, payload in events
                     if replay.store().first_time("facebook", mid)]
            if events and not fresh:
                logger.warning("refused a replayed facebook delivery")
                return response.text("replayed", status=403)
            out = self.get_output_channel()
            for sender, text, is_payload in fresh:
                await deliver(request, on_new_message, self.name(), out, sender, text,
                              metadata={"platform": "facebook"}, map_buttons=not is_payload)
            return response.text("success")

        return webhook


def _message_events(body: Dict[str, Any]) -> Iterator[Tuple[str, str, str, bool]]:
    """(mid, sender PSID, text, text-is-a-payload) for every user message or postback in a delivery."""
    for entry in body.get("entry") or []:
        for event in (entry.get("messaging") or []) if isinstance(entry, dict) else []:
            if not isinstance(event, dict):
                continue
            sender = (event.get("sender") or {}).get("id")
            message, postback = event.get("message"), event.get("postback")
            if sender is None:
                continue
            if isinstance(message, dict) and message.get("mid") and not message.get("is_echo"):
                quick = message.get("quick_reply")
                if isinstance(quick, dict) and quick.get("payload"):
                    yield str(message["mid"]), str(sender), str(quick["payload"]), True
                else:
                    text = message.get("text")
                    yield str(message["mid"]), str(sender), text if isinstance(text, str) else "", False
            elif isinstance(postback, dict) and postback.get("mid"):
                yield str(postback["mid"]), str(sender), str(postback.get("payload") or postback.get("title") or ""), True
