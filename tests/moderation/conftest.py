"""Fixtures for the moderators' console tests: the handoff tests' signed-in clients (reused), and
conversations played through the real assistant once per session."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.handoff.conftest import console_url, signed_in  # noqa: F401  (fixtures, reused)
from tests.support import RestUser

SCRIPT = "<script>window.__pwned=1</script>"
PHONE, EMAIL, POSTCODE = "07700 900456", "jessica.hartley@example.com", "SW1A 1AA"
IDENTIFIERS = [PHONE, "07700900456", EMAIL, POSTCODE]


@pytest.fixture(scope="session")
def db(stack):
    engine = sa.create_engine(stack.env()["SAFEGUARD_DB_URL"], future=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def played(stack):
    """Two conversations through Rasa's REST channel: one with a script tag and planted identifiers,
    one that starts with a spreadsheet formula. Returns their sender ids."""
    marker = uuid.uuid4().hex[:8]
    hostile = RestUser(stack.rasa_url, f"mod-script-{marker}")
    hostile.say(SCRIPT)
    hostile.say(f"my dad hits me, ring me on {PHONE} or email {EMAIL}, I live at {POSTCODE}")
    hostile.say("I'm 13")
    formula = RestUser(stack.rasa_url, f"mod-formula-{marker}")
    formula.say("=HYPERLINK(\"http://evil.example\",\"click\") help")
    formula.say("I'm worried about my friend")
    return {"script": hostile.sender, "formula": formula.sender, "marker": marker}


def events_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT COUNT(*) FROM events")).scalar()
