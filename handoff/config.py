"""Settings read from the environment (see docs/architecture.md)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def db_url() -> str:
    """SAFEGUARD_DB_URL, default SQLite under var/. Relative SQLite paths resolve from the project root."""
    url = os.environ.get("SAFEGUARD_DB_URL", "").strip() or "sqlite:///var/rasa.db"
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        path = ROOT / url[len(prefix):]
        path.parent.mkdir(parents=True, exist_ok=True)
        url = prefix + str(path)
    return url


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def minutes_per_conversation() -> float:
    """Rough minutes one conversation takes a member of staff, for the wait estimate."""
    return _number("HANDOFF_MINUTES_PER_CONVERSATION", 10)


def presence_seconds() -> float:
    """A signed-in agent counts as present if their console was seen this recently."""
    return _number("HANDOFF_PRESENCE_SECONDS", 90)


def default_hours() -> str:
    """Opening hours when no admin has set them in the console: HANDOFF_HOURS (default "always")."""
    return os.environ.get("HANDOFF_HOURS", "always")


def timezone_name() -> str:
    return os.environ.get("HANDOFF_TIMEZONE", "Europe/London")


def rasa_url() -> str:
    return os.environ.get("RASA_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}").rstrip("/")


def rasa_token() -> str:
    return os.environ.get("RASA_API_TOKEN", "")


def console_port() -> int:
    return int(os.environ.get("CONSOLE_PORT", 5006))


def cookie_secure() -> bool:
    """Session cookies carry `Secure` unless CONSOLE_COOKIE_SECURE=0 (only for plain-HTTP testing)."""
    return os.environ.get("CONSOLE_COOKIE_SECURE", "1") not in ("0", "false", "no")
