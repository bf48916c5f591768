"""Webhook requests in each platform's documented format, signed the way the platform signs them.

- Telegram Update (core.telegram.org/bots/api#update) with the X-Telegram-Bot-Api-Secret-Token
  header set to the secret_token given to setWebhook.
- Messenger webhook (developers.facebook.com/docs/messenger-platform/webhooks) signed with
  X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw body) (and the legacy SHA-1).
- Twilio incoming message (twilio.com/docs/messaging/guides/webhook-request), form-encoded,
  X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + each sorted param name + value).
  Written here from the documentation, independently of the twilio library the server uses.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
import urllib.parse
from typing import Dict, Optional, Tuple

_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


def new_id() -> int:
    return next(_ids)


# ---------------------------------------------------------------- Telegram
def telegram_message(chat_id: int, text: str, update_id: Optional[int] = None, chat_type: str = "private") -> Dict:
    return {
        "update_id": update_id if update_id is not None else new_id(),
        "message": {
            "message_id": new_id() % 100000,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"},
            "chat": {"id": chat_id, "first_name": "Sam", "type": chat_type},
            "date": int(time.time()),
            "text": text,
        },
    }


def telegram_callback(chat_id: int, data: str) -> Dict:
    return {
        "update_id": new_id(),
        "callback_query": {
            "id": str(new_id()),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "message": {"message_id": 7, "chat": {"id": chat_id, "type": "private"}, "date": int(time.time()),
                        "text": "earlier message"},
            "chat_instance": "-1234567890",
            "data": data,
        },
    }


def telegram_headers(secret: Optional[str]) -> Dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return headers


# ---------------------------------------------------------------- Messenger
def messenger_delivery(psid: str, text: str, mid: Optional[str] = None, quick_reply: Optional[str] = None,
                       page_id: str = "1029384756") -> Dict:
    message = {"mid": mid or f"m_{secrets.token_urlsafe(16)}", "text": text}
    if quick_reply is not None:
        message["quick_reply"] = {"payload": quick_reply}
    now = int(time.time() * 1000)
    return {"object": "page", "entry": [{"id": page_id, "time": now, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": page_id}, "timestamp": now, "message": message}]}]}


def messenger_signed(body: Dict, app_secret: str) -> Tuple[bytes, Dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {
        "Content-Type": "application/json",
        "X-Hub-Signature": "sha1=" + hmac.new(app_secret.encode(), raw, hashlib.sha1).hexdigest(),
        "X-Hub-Signature-256": "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest(),
    }


# ---------------------------------------------------------------- Twilio
def twilio_message(sender: str, to: str, body: str, account_sid: str, sid: Optional[str] = None) -> Dict[str, str]:
    sid = sid or "SM" + secrets.token_hex(16)
    params = {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "",
        "Body": body, "FromCountry": "GB", "To": to, "ToZip": "", "NumSegments": "1",
        "MessageSid": sid, "AccountSid": account_sid, "From": sender, "ApiVersion": "2010-04-01",
    }
    if sender.startswith("whatsapp:"):
        params.update({"ProfileName": "Sam", "WaId": sender.split("+")[-1], "MessageType": "text"})
    return params


def twilio_signature(auth_token: str, url: str, params: Dict[str, str]) -> str:
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def twilio_signed(params: Dict[str, str], auth_token: str, url: str) -> Tuple[bytes, Dict[str, str]]:
    return urllib.parse.urlencode(params).encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(auth_token, url, params),
    }
