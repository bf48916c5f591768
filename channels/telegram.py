"""Telegram: Rasa's TelegramInput with a verified webhook and an aiohttp output channel.

Why not Rasa's TelegramOutput (aiogram's Bot): it calls getMe on every update, its
get_output_channel() runs ``asyncio.run(set_webhook)`` (fails inside the running server loop, so
a staff message could never be pushed), and its API address is fixed. Ours posts to
TELEGRAM_API_BASE (default https://api.telegram.org) and never re-registers the webhook.
"""
from __future__ import annotations

import json
import logging
import sys
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import formatting, replay
from channels.base import PlatformOutput, deliver, setting
from channels.verify import telegram_secret_ok

logger = logging.getLogger(__name__)
DEFAULT_API_BASE = "https://api.telegram.org"


class TelegramOutput(PlatformOutput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, token: str, api_base: str) -> None:
        super().__init__()
        self.token = token
        self.api_base = api_base.rstrip("/")

    def method_url(self, method: str) -> str:
        return f"{self.api_base}/bot{self.token}/{method}"

    def limit(self, recipient_id: str, text: str) -> int:
        return formatting.TELEGRAM_LIMIT

    def native_buttons(self, buttons: List[Dict[str, Any]]) -> bool:
        return True  # inline keyboards; a payload too long for callback_data travels as its number

    async def send_part(self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> None:
        body: Dict[str, Any] = {"chat_id": recipient_id, "text": text, "disable_web_page_preview": True}
        if buttons:
            body["reply_markup"] = {"inline_keyboard": [
                [{"text": str(b.get("title", ""))[:64], "callback_data": _callback_data(b, index)}]
                for index, b in enumerate(buttons, start=1)]}
        await self.post(self.method_url("sendMessage"), json=body)

    async def answer_callback(self, callback_query_id: str) -> None:
        await self.post(self.method_url("answerCallbackQuery"), json={"callback_query_id": callback_query_id})


def _callback_data(button: Dict[str, Any], index: int) -> str:
    payload = str(button.get("payload", ""))
    return payload if 0 < len(payload.encode("utf-8")) <= formatting.TELEGRAM_CALLBACK_DATA_BYTES else str(index)


class TelegramInput(RasaTelegramInput):
    """Webhook at /webhooks/telegram/webhook; only updates carrying our secret token are accepted."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "TelegramInput":
        return cls(
            setting(credentials, "access_token", "TELEGRAM_BOT_TOKEN"),
            setting(credentials, "verify", "TELEGRAM_BOT_USERNAME"),
            setting(credentials, "webhook_url", "TELEGRAM_WEBHOOK_URL"),
            secret_token=setting(credentials, "secret_token", "TELEGRAM_SECRET_TOKEN"),
            api_base=setting(credentials, "api_base", "TELEGRAM_API_BASE", DEFAULT_API_BASE),
        )

    def __init__(self, access_token: str, verify: str, webhook_url: str, secret_token: str = "",
                 api_base: str = DEFAULT_API_BASE, debug_mode: bool = False) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        if not access_token or not secret_token:
            raise ValueError("telegram needs TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN")
        self.secret_token = secret_token
        self.api_base = api_base

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.access_token, self.api_base)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safeguard_telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not telegram_secret_ok(self.secret_token, request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
                logger.warning("refused a telegram request without the right secret token")
                return response.text("forbidden", status=403)
            try:
                update = json.loads(request.body or b"")
            except ValueError:
                return response.text("malformed JSON", status=400)
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.text("not a Telegram update", status=400)
            if not replay.store().first_time("telegram", str(update["update_id"])):
                logger.warning("refused a replayed telegram update")
                return response.text("replayed update", status=403)

            out = self.get_output_channel()
            sender, text, map_buttons = _read_update(update)
            if isinstance(update.get("callback_query"), dict) and update["callback_query"].get("id"):
                await out.answer_callback(str(update["callback_query"]["id"]))
            if sender is None:
                return response.text("ignored")
            await deliver(request, on_new_message, self.name(), out, sender, text,
                          metadata={"platform": "telegram"}, map_buttons=map_buttons)
            return response.text("success")

        return webhook


def _read_update(update: Dict[str, Any]):
    """(chat id, text, whether to map numbers to buttons) for a private-chat update, else (None, ...)."""
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        data = str(callback.get("data") or "")
        # callback data is a payload, or a button's number when the payload was too long
        return _private_chat(message), data, not data.startswith("/")
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict):
        return None, "", False
    chat = _private_chat(message)
    text = message.get("text")
    if not isinstance(text, str):
        text = ""  # sticker, photo, voice...: the assistant says it got no words
    if text.strip() == "/start":
        text = "/greet"  # Telegram's first message when someone opens the bot
    return chat, text, True


def _private_chat(message: Dict[str, Any]) -> Optional[str]:
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or chat.get("type") != "private" or chat.get("id") is None:
        return None  # groups and channels are not served: a disclosure must not happen in public
    return str(chat["id"])


def set_webhook(url: str) -> int:
    """`python -m channels.telegram set-webhook https://host/webhooks/telegram/webhook`"""
    import os
    import urllib.request

    token, secret = os.environ.get("TELEGRAM_BOT_TOKEN", ""), os.environ.get("TELEGRAM_SECRET_TOKEN", "")
    if not token or not secret:
        print("set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN first", file=sys.stderr)
        return 2
    base = os.environ.get("TELEGRAM_API_BASE", DEFAULT_API_BASE).rstrip("/")
    body = json.dumps({"url": url, "secret_token": secret,
                       "allowed_updates": ["message", "edited_message", "callback_query"]}).encode()
    request = urllib.request.Request(f"{base}/bot{token}/setWebhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        print(json.loads(answer.read()).get("description", "done"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "set-webhook":
        sys.exit(set_webhook(sys.argv[2]))
    print("usage: python -m channels.telegram set-webhook <public https URL of /webhooks/telegram/webhook>", file=sys.stderr)
    sys.exit(2)
