"""Which messaging platforms are on, decided from environment variables, and the effective
credentials file Rasa is started with.

Rasa substitutes ``${VAR}`` in credentials.yml, but an unset variable is left as the literal
text "${VAR}" (checked with rasa 3.6.21's read_config_file), so the platform would start with a
bogus token instead of staying off. So credentials.yml keeps only the always-on channels (rest,
socketio), and at start-up scripts/stack.py writes ``<state dir>/credentials.yml``: those plus
one entry per platform whose variables are all set. The entries carry no secrets; the connectors
read them from the environment of the Rasa process.

    python -m channels.credentials write <path> [--base credentials.yml]
    python -m channels.credentials status
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Platform:
    name: str            # Rasa channel name: webhook /webhooks/<name>/webhook, output_channel=<name>
    label: str
    class_path: str
    required: Tuple[str, ...]
    any_of: Tuple[str, ...] = ()

    def missing(self, env: Mapping[str, str]) -> List[str]:
        missing = [var for var in self.required if not env.get(var, "").strip()]
        if self.any_of and not any(env.get(var, "").strip() for var in self.any_of):
            missing.append(" or ".join(self.any_of))
        return missing

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/{self.name}/webhook"


PLATFORMS = (
    Platform("telegram", "Telegram", "channels.telegram.TelegramInput",
             ("TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN")),
    Platform("facebook", "Facebook Messenger", "channels.messenger.FacebookInput",
             ("MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN")),
    Platform("twilio", "SMS / WhatsApp (Twilio)", "channels.twilio.TwilioInput",
             ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"), ("TWILIO_SMS_NUMBER", "TWILIO_WHATSAPP_NUMBER")),
)


def enabled(env: Optional[Mapping[str, str]] = None) -> List[Platform]:
    env = os.environ if env is None else env
    return [p for p in PLATFORMS if not p.missing(env)]


def build(base: Path, env: Optional[Mapping[str, str]] = None) -> Dict[str, object]:
    with Path(base).open(encoding="utf-8") as handle:
        credentials = yaml.safe_load(handle) or {}
    for platform in enabled(env):
        credentials[platform.class_path] = {"source": "environment"}
    return credentials


def write(path: Path, base: Path = ROOT / "credentials.yml", env: Optional[Mapping[str, str]] = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = ("# Written at start-up by channels.credentials from credentials.yml and the environment.\n"
            "# Do not edit: change credentials.yml or the platform variables (channels/README.md).\n")
    text += yaml.safe_dump(build(base, env), sort_keys=False, default_flow_style=False)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path


def status_lines(env: Optional[Mapping[str, str]] = None, base_url: str = "") -> List[str]:
    env = os.environ if env is None else env
    lines = []
    for platform in PLATFORMS:
        missing = platform.missing(env)
        if missing:
            lines.append(f"{platform.label}: off (set {', '.join(missing)})")
        else:
            lines.append(f"{platform.label}: on, webhook {base_url}{platform.webhook_path}")
    return lines


def main(argv: List[str]) -> int:
    if len(argv) >= 2 and argv[0] == "write":
        base = Path(argv[argv.index("--base") + 1]) if "--base" in argv else ROOT / "credentials.yml"
        print(write(Path(argv[1]), base))
        return 0
    if argv[:1] == ["status"]:
        print("\n".join(status_lines()))
        return 0
    print(__doc__.strip().splitlines()[-2:], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
