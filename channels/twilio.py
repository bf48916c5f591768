"""SMS and WhatsApp through Twilio: Rasa's TwilioInput with signature and replay checks, and an
aiohttp output channel.

Rasa's TwilioOutput wraps the twilio REST client (sync, fixed api.twilio.com, and a
``messages.create`` retry loop that can send the same SMS five times). Ours posts one form to
``{TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json`` (default https://api.twilio.com).
A sender ``whatsapp:+44...`` is a WhatsApp user (answered from TWILIO_WHATSAPP_NUMBER),
anything else an SMS user (answered from TWILIO_SMS_NUMBER).
"""
from __future__ import annotations

import logging
from urllib.parse import parse_qs
from typing import Any, Awaitable, Callable, Dict, List, Optional

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import formatting, replay
from channels.base import PlatformOutput, deliver, setting
from channels.verify import twilio_signature_ok

logger = logging.getLogger(__name__)
DEFAULT_API_BASE = "https://api.twilio.com"
WHATSAPP = "whatsapp:"


def is_whatsapp(address: str) -> bool:
    return str(address).startswith(WHATSAPP)


class TwilioOutput(PlatformOutput):
    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(self, account_sid: str, auth_token: str, sms_number: str, whatsapp_number: str, api_base: str) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sms_number = sms_number
        self.whatsapp_number = whatsapp_number
        self.api_base = api_base.rstrip("/")

    def prepare(self, recipient_id: str, text: str) -> str:
        return text if is_whatsapp(recipient_id) else formatting.sms_text(text)

    def limit(self, recipient_id: str, text: str) -> int:
        return formatting.WHATSAPP_TWILIO_LIMIT if is_whatsapp(recipient_id) else formatting.sms_limit(text)

    def sender_for(self, recipient_id: str) -> str:
        if is_whatsapp(recipient_id):
            number = self.whatsapp_number
            return number if is_whatsapp(number) else WHATSAPP + number
        return self.sms_number

    async def send_part(self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> None:
        sender = self.sender_for(recipient_id)
        if not sender or sender == WHATSAPP:
            logger.warning("twilio: no %s number configured; reply not sent", "WhatsApp" if is_whatsapp(recipient_id) else "SMS")
            return
        await self.post(f"{self.api_base}/2010-04-01/Accounts/{self.account_sid}/Messages.json",
                        data={"To": recipient_id, "From": sender, "Body": text},
                        auth=aiohttp.BasicAuth(self.account_sid, self.auth_token))


class _Form(dict):
    """POST parameters with blank values kept (Twilio signs FromZip= and the like too)."""

    def getall(self, name: str) -> List[str]:
        return self[name]

    def get(self, name: str, default: Any = None) -> Any:  # first value, like Sanic's form
        values = super().get(name)
        return values[0] if values else default


def _form(request: Request) -> _Form:
    if "application/x-www-form-urlencoded" not in (request.content_type or ""):
        return _Form()
    try:
        return _Form(parse_qs((request.body or b"").decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return _Form()


class TwilioInput(RasaTwilioInput):
    """Webhook at /webhooks/twilio/webhook for both SMS and WhatsApp messages."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "TwilioInput":
        return cls(
            setting(credentials, "account_sid", "TWILIO_ACCOUNT_SID"),
            setting(credentials, "auth_token", "TWILIO_AUTH_TOKEN"),
            setting(credentials, "twilio_number", "TWILIO_SMS_NUMBER"),
            whatsapp_number=setting(credentials, "whatsapp_number", "TWILIO_WHATSAPP_NUMBER"),
            webhook_url=setting(credentials, "webhook_url", "TWILIO_WEBHOOK_URL"),
            api_base=setting(credentials, "api_base", "TWILIO_API_BASE", DEFAULT_API_BASE),
        )

    def __init__(self, account_sid: str, auth_token: str, twilio_number: str, whatsapp_number: str = "",
                 webhook_url: str = "", api_base: str = DEFAULT_API_BASE, debug_mode: bool = False) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=debug_mode)
        if not account_sid or not auth_token or not (twilio_number or whatsapp_number):
            raise ValueError("twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and an SMS or WhatsApp number")
        self.whatsapp_number = whatsapp_number
        self.webhook_url = webhook_url
        self.api_base = api_base

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number or "", self.whatsapp_number,
                            self.api_base)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safeguard_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # The signature covers the address Twilio called: behind a proxy that is the public
            # address, so TWILIO_WEBHOOK_URL must be set to exactly what is configured at Twilio.
            url = self.webhook_url or request.url
            form = _form(request)
            if not twilio_signature_ok(self.auth_token, url, form, request.headers.get("X-Twilio-Signature")):
                logger.warning("refused a twilio request with a missing or wrong signature")
                return response.text("forbidden", status=403)
            sid = form.get("MessageSid") or form.get("SmsMessageSid")
            sender = form.get("From")
            if not sid or not sender:
                return response.text("not a Twilio message", status=400)
            if not replay.store().first_time("twilio", sid):
                logger.warning("refused a replayed twilio message")
                return response.text("replayed", status=403)
            text = form.get("Body") or ""
            await deliver(request, on_new_message, self.name(), self.get_output_channel(), sender,
                          text.replace("¡", "@"),  # some carriers turn @ into ¡
                          metadata={"platform": "whatsapp" if is_whatsapp(sender) else "sms"})
            # Replies go out through the REST API, so the TwiML answer is empty.
            return response.text("<Response/>", content_type="text/xml")

        return webhook
