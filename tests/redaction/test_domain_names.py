"""Redaction keeps the assistant's own names: the next turn's rules read the stored slots."""
from __future__ import annotations

import pytest
import yaml

from redaction.domain_names import DOMAIN_FILE
from redaction.events import redact_event, redact_value

DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text())


@pytest.mark.parametrize("value", DOMAIN["slots"]["topic"]["values"])
def test_topic_slot_values_are_stored_as_they_are(value):
    assert redact_event({"event": "slot", "name": "topic", "value": value})["value"] == value


@pytest.mark.parametrize("name", sorted(DOMAIN["actions"]) + ["utter_route_childline", "concern_online_abuse"])
def test_domain_names_in_text_are_not_taken_for_handles(name):
    assert redact_value(f"running {name} now") == f"running {name} now"


def test_free_text_slots_are_still_redacted_and_real_handles_still_caught():
    assert "<PHONE>" in redact_event({"event": "slot", "name": "handoff_status", "value": "ring 07700 900123"})["value"]
    assert redact_value("add me on snap finn_o_09") != "add me on snap finn_o_09"
