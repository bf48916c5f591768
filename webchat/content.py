"""What the page shows that comes from the service catalogue, and its settings.

Every number, address and name on the page is taken from ``service_catalogue`` when the server
starts: the "help now" box in the HTML (shown before any script runs) and ``/catalogue.json``
(the contacts the script turns into tappable links). Nothing is typed by hand here.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlsplit

from service_catalogue import digits, emails, load_services, urls

DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"
# Fields of a catalogue entry that hold a number to call, and one to text.
CALL_FIELDS = ("phone", "non_emergency_phone")
TEXT_FIELDS = ("text_number",)
# The "help now" box: (catalogue key, field) in the order shown.
HELP_NOW = ("emergency", "childline", "nspcc_helpline")


class ConfigError(ValueError):
    """A setting that would make the page unsafe or broken."""


@dataclass(frozen=True)
class Settings:
    port: int
    rasa_url: str
    exit_url: str

    @property
    def rasa_socket_url(self) -> str:
        scheme, rest = self.rasa_url.split("://", 1)
        return ("wss" if scheme == "https" else "ws") + "://" + rest

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        try:
            port = int(env.get("WEBCHAT_PORT", "8080"))
        except ValueError:
            raise ConfigError("WEBCHAT_PORT must be a number") from None
        if not 0 < port < 65536:
            raise ConfigError("WEBCHAT_PORT must be between 1 and 65535")
        rasa_url = env.get("RASA_URL") or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}"
        return cls(port=port, rasa_url=check_origin_url(rasa_url),
                   exit_url=check_exit_url(env.get("WEBCHAT_EXIT_URL") or DEFAULT_EXIT_URL))


def check_origin_url(url: str) -> str:
    """An http(s) origin with no path, query or credentials (it goes into the CSP)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ConfigError(f"RASA_URL must be an http(s) origin such as http://127.0.0.1:5005, got {url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(f"RASA_URL must have no path or query, got {url!r}")
    if any(ch in parts.netloc for ch in " ;,'\""):
        raise ConfigError(f"RASA_URL has characters not allowed in an origin: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def check_exit_url(url: str) -> str:
    """The quick-exit destination: an https address, or a path on this server (tests)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname and not parts.username and not parts.password:
        return url
    if not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return url
    raise ConfigError(f"WEBCHAT_EXIT_URL must be an https:// address or a path starting with '/', got {url!r}")


def contacts() -> Dict[str, List[Dict[str, str]]]:
    """The catalogue's numbers, e-mail addresses and web addresses, as the page links them."""
    numbers: Dict[str, Dict[str, str]] = {}
    for entry in load_services().values():
        for kind, fields in (("tel", CALL_FIELDS), ("sms", TEXT_FIELDS)):
            for field in fields:
                if entry.get(field):
                    text = str(entry[field])
                    numbers.setdefault(text, {"text": text, "href": f"{kind}:{digits(text)}"})
    return {
        "numbers": sorted(numbers.values(), key=lambda item: (-len(item["text"]), item["text"])),
        "emails": sorted(emails()),
        "web": sorted(urls()),
    }


def _tel(text: str) -> str:
    return f'<a class="tel" href="tel:{html.escape(digits(text))}">{html.escape(text)}</a>'


def help_now_html() -> str:
    """The routes' basics, shown in the HTML before (and without) the script."""
    services = load_services()
    emergency, childline, helpline = (services[key] for key in HELP_NOW)
    lines = [
        f"<li><strong>In danger right now?</strong> Call {_tel(emergency['phone'])}.</li>",
        f"<li><strong>{html.escape(childline['name'])}</strong> ({html.escape(_lower_first(childline['for']))}): "
        f"call {_tel(childline['phone'])}.{_sentence(childline.get('hours'))}</li>",
        f"<li><strong>{html.escape(helpline['name'])}</strong> ({html.escape(_lower_first(helpline['for']))}): "
        f"call {_tel(helpline['phone'])}.</li>",
    ]
    return "\n".join(lines)


def _sentence(text: Any) -> str:
    text = str(text or "").strip().rstrip(".")
    return f" {html.escape(text)}." if text else ""


def _lower_first(text: Any) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]
