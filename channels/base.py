"""What every platform connector shares: the aiohttp output channel base and the inbound helper."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Mapping, Optional

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic.request import Request

from channels import contacts, formatting

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=15)
MAX_INBOUND_CHARS = 5000


def setting(credentials: Optional[Mapping[str, Any]], key: str, env_name: str, default: str = "") -> str:
    """A value from credentials.yml if given there, else from the environment."""
    value = (credentials or {}).get(key)
    if value in (None, "") or (isinstance(value, str) and value.startswith("${")):
        value = os.environ.get(env_name, default)
    return str(value or "").strip()


class PlatformOutput(OutputChannel):
    """Sends replies to a platform over HTTP, fitted to the platform (subclasses say how)."""

    def __init__(self) -> None:
        self._last_sent_text = False

    # -- subclasses implement
    def limit(self, recipient_id: str, text: str) -> int:
        raise NotImplementedError

    async def send_part(self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> None:
        raise NotImplementedError

    def native_buttons(self, buttons: List[Dict[str, Any]]) -> bool:
        """Whether the platform can show these buttons itself (else they become numbered text)."""
        return False

    def prepare(self, recipient_id: str, text: str) -> str:
        return text

    # -- shared behaviour
    async def post(self, url: str, *, json: Any = None, data: Any = None, auth: Optional[aiohttp.BasicAuth] = None,
                   params: Optional[Dict[str, str]] = None) -> Optional[Any]:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
                async with session.post(url, json=json, data=data, auth=auth, params=params) as response:
                    if response.status >= 300:
                        logger.warning("%s API answered HTTP %s", self.name(), response.status)
                        return None
                    return await response.json(content_type=None)
        except Exception as error:  # noqa: BLE001 - a platform outage must never crash the webhook
            logger.warning("%s API call failed: %s", self.name(), type(error).__name__)
        return None

    async def _send(self, recipient_id: str, text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> None:
        try:
            recipient_id = contacts.address_for(str(recipient_id))
        except LookupError as error:
            logger.warning("%s: reply not sent: %s", self.name(), error)
            return
        if buttons and not self.native_buttons(buttons):
            text, buttons = formatting.with_numbered_options(text, buttons), None
        text = self.prepare(recipient_id, text or "")
        parts = formatting.split_text(text, self.limit(recipient_id, text))
        if not parts and buttons:
            parts = ["Choose one:"]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self.send_part(recipient_id, part, buttons if last else None)
        self._last_sent_text = bool(parts)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        message = dict(message)
        custom = message.get("custom")
        if isinstance(custom, dict) and "handoff" in custom and message.get("text"):
            message.pop("custom")  # the words are in the same message already
        await super().send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any) -> None:
        await self._send(recipient_id, text, [b for b in buttons if isinstance(b, dict) and b.get("title")])

    async def send_quick_replies(self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, str(image))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str):
            await self._send(recipient_id, attachment)

    async def send_elements(self, recipient_id: str, elements: Any, **kwargs: Any) -> None:
        logger.debug("%s: carousel elements are not supported and were not sent", self.name())

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        words = formatting.handoff_text(json_message)
        if words is None:
            logger.debug("%s: custom payload without a text form was not sent", self.name())
            return
        if self._last_sent_text:
            # Contract: each handoff payload comes with a plain text saying the same; when the
            # action sent that text as the message just before, the user already has the words.
            self._last_sent_text = False
            return
        await self._send(recipient_id, words)


async def offered_button_payload(request: Request, sender_id: str, text: str) -> Optional[str]:
    """Map a typed reply ("1", "one", or a button's words) to the payload of the last offered buttons."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or not text:
        return None
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception as error:  # noqa: BLE001
        logger.warning("could not read the conversation to map a numbered reply: %s", type(error).__name__)
        return None
    if tracker is None:
        return None
    return formatting.match_reply(text, formatting.last_offered_buttons(tracker.events))


async def deliver(request: Request, on_new_message, channel_name: str, out_channel: OutputChannel, sender_id: str,
                  text: str, metadata: Optional[Dict[str, Any]] = None, map_buttons: bool = True) -> None:
    """Hand one user message to Rasa, after reading a numbered or worded reply to offered buttons.

    The conversation id is a pseudonym of the platform address (channels/contacts.py), never the
    address itself.
    """
    sender_id = contacts.remember(channel_name, sender_id)
    text = (text or "").replace("\x00", "")[:MAX_INBOUND_CHARS]
    if map_buttons:
        payload = await offered_button_payload(request, sender_id, text)
        if payload:
            text = payload
    await on_new_message(UserMessage(text, out_channel, sender_id, input_channel=channel_name, metadata=metadata))
