"""Checks that an inbound webhook request really comes from the platform."""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Optional

from twilio.request_validator import RequestValidator


def telegram_secret_ok(expected: str, header: Optional[str]) -> bool:
    """Telegram sends the ``secret_token`` given to setWebhook in X-Telegram-Bot-Api-Secret-Token."""
    if not expected or not header:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), header.encode("utf-8", "surrogateescape"))


def hub_signature_ok(app_secret: str, body: bytes, signature_256: Optional[str]) -> bool:
    """Meta signs the raw body with the app secret: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256>``.

    Only the SHA-256 header is accepted (Meta sends it on every webhook); the SHA-1
    ``X-Hub-Signature`` that Rasa's connector checks is not enough on its own."""
    if not app_secret or not signature_256 or not signature_256.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body or b"", hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature_256[len("sha256="):].strip().lower().encode("utf-8", "replace"))


def twilio_signature_ok(auth_token: str, url: str, form: Any, signature: Optional[str]) -> bool:
    """Twilio's algorithm: the full URL it called, then every POST parameter name followed by its
    value in sorted order, HMAC-SHA1 with the auth token, base64. The ``twilio`` library (a rasa
    dependency) implements it, including the with/without port variants Twilio may use."""
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, form, signature)
