"""A second Rasa server with every messaging platform on, pointed at a fake platform API.

The shared `stack` (tests/conftest.py) has no platform variables set, so there every platform
is off; this one reuses that stack's action server and has its own state dir and database."""
from __future__ import annotations

import secrets

import pytest

from scripts.stack import Ports, Stack
from tests.channels.fake_platform import FakePlatforms
from tests.support import free_port, started


@pytest.fixture(scope="session")
def fake_platforms():
    fake = FakePlatforms().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def platform_env(fake_platforms):
    return {
        "TELEGRAM_BOT_TOKEN": "123456789:" + secrets.token_urlsafe(24),
        "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(32),
        "TELEGRAM_API_BASE": f"{fake_platforms.base}/telegram",
        "MESSENGER_PAGE_ACCESS_TOKEN": "EAAG" + secrets.token_urlsafe(32),
        "MESSENGER_APP_SECRET": secrets.token_hex(16),
        "MESSENGER_VERIFY_TOKEN": secrets.token_urlsafe(16),
        "MESSENGER_API_BASE": f"{fake_platforms.base}/messenger",
        "TWILIO_ACCOUNT_SID": "AC" + secrets.token_hex(16),
        "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
        "TWILIO_SMS_NUMBER": "+447700900123",
        "TWILIO_WHATSAPP_NUMBER": "whatsapp:+447700900456",
        "TWILIO_WEBHOOK_URL": "https://assistant.example.org/webhooks/twilio/webhook",
        "TWILIO_API_BASE": f"{fake_platforms.base}/twilio",
        "CHANNEL_ID_KEY": secrets.token_urlsafe(32),
    }


@pytest.fixture(scope="session")
def platform_stack(stack, platform_env, tmp_path_factory):
    state = tmp_path_factory.mktemp("platform-state")
    running = Stack(
        ports=Ports(rasa=free_port(), actions=stack.ports.actions, console=free_port(), webchat=free_port()),
        model=stack.model, state_dir=state, token=secrets.token_urlsafe(24), quiet=True,
        with_actions=False, with_console=False, with_webchat=False,
        extra_env={**platform_env, "SAFEGUARD_DB_URL": f"sqlite:///{state / 'rasa.db'}"},
    )
    yield from started(running)
