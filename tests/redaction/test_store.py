"""The redacting store: stored rows and broker messages are redacted, the tracker in memory is not."""
from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.events import redact_event
from redaction.store import RedactingSQLTrackerStore
from tests.redaction.helpers import ROOT


class ListBroker(EventBroker):
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append(json.loads(json.dumps(event)))

    def is_ready(self):
        return True


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def user_event(text="my name is Jess and im 12, call me on 07700 900123"):
    entities = [{"entity": "age", "value": "12", "start": text.index("12"), "end": text.index("12") + 2,
                 "extractor": "SafetySignals"},
                {"entity": "person", "value": "Jess", "start": text.index("Jess"), "end": text.index("Jess") + 4}]
    return UserUttered(text, intent={"name": "inform_audience", "confidence": 0.93}, entities=entities,
                       parse_data={"text": text, "intent": {"name": "inform_audience", "confidence": 0.93},
                                   "entities": entities, "intent_ranking": [{"name": "inform_audience", "confidence": 0.93}],
                                   "safety": {"age": 12, "classifier_intent": "inform_audience"}},
                       metadata={"first_name": "Jess", "note": "from 07700 900123", "utm": 3})


def test_redact_event_keeps_routing_facts_and_removes_identifiers():
    data = user_event().as_dict()
    original = json.dumps(data, sort_keys=True)
    redacted = redact_event(data)
    assert json.dumps(data, sort_keys=True) == original  # input untouched
    assert redacted["text"] == "my name is <NAME> and im 12, call me on <PHONE>"
    assert redacted["parse_data"]["text"] == redacted["text"]
    age, person = redacted["parse_data"]["entities"]
    assert age["value"] == "12" and redacted["text"][age["start"]:age["end"]] == "12"
    assert person["value"] == "<NAME>" and redacted["text"][person["start"]:person["end"]] == "<NAME>"
    assert redacted["parse_data"]["intent"] == {"name": "inform_audience", "confidence": 0.93}
    assert redacted["metadata"] == {"first_name": "<NAME>", "note": "from <PHONE>", "utm": 3}
    bot = redact_event(BotUttered("Hello Jess, I'll note 07700 900123", data={"buttons": [{"title": "Jess", "payload": "/x"}]},
                                  metadata={"utter_action": "utter_greet"}).as_dict())
    assert bot["text"] == "Hello Jess, I'll note <PHONE>"  # alone, "Jess" is not known to be a name...
    assert bot["metadata"] == {"utter_action": "utter_greet"}
    from redaction.events import Known  # ...unless the user introduced it earlier in the conversation

    known = Known.from_texts(["my name is Jess"])
    assert redact_event(BotUttered("Hello Jess").as_dict(), known)["text"] == "Hello <NAME>"
    assert redact_event(UserUttered("jess", intent={"name": "greet"}).as_dict(), known)["text"] == "<NAME>"
    slot = redact_event(SlotSet("handoff_status", "queued for jess@example.com").as_dict())
    assert slot["value"] == "queued for <EMAIL>" and slot["name"] == "handoff_status"
    assert redact_event(SlotSet("audience", "child").as_dict())["value"] == "child"


def test_store_redacts_rows_and_broker_but_not_the_tracker_in_memory(tmp_path, domain):
    broker = ListBroker()
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "rasa.db"), event_broker=broker)
    tracker = DialogueStateTracker("conv-1", domain.slots)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                  user_event(), SlotSet("audience", "child"),
                  BotUttered("Thanks Jess, call 0800 1111"), ActionExecuted("action_listen")]:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    # in memory: untouched
    assert tracker.latest_message.text.startswith("my name is Jess")
    with sqlite3.connect(tmp_path / "rasa.db") as db:
        rows = db.execute("SELECT type_name, intent_name, action_name, data FROM events ORDER BY id").fetchall()
    assert len(rows) == len(tracker.events)  # no event dropped
    stored = "\n".join(r[3] for r in rows)
    assert "Jess" not in stored and "07700" not in stored and "0800 1111" in stored
    assert ("user", "inform_audience", None) in [r[:3] for r in rows]
    published = json.dumps(broker.published)
    assert len(broker.published) == len(tracker.events)
    assert "Jess" not in published and "07700" not in published
    # the next turn is rebuilt from the stored copy, with everything the dialogue uses
    again = asyncio.run(store.retrieve("conv-1"))
    assert again.get_slot("audience") == "child"
    assert again.latest_message.intent["name"] == "inform_audience"
    assert [e["value"] for e in again.latest_message.entities if e["entity"] == "age"] == ["12"]
    # a second save appends only the new events, redacted
    again.update(UserUttered("my email is jess@example.com", intent={"name": "nlu_fallback", "confidence": 0.3}))
    asyncio.run(store.save(again))
    with sqlite3.connect(tmp_path / "rasa.db") as db:
        count, = db.execute("SELECT COUNT(*) FROM events").fetchone()
        last, = db.execute("SELECT data FROM events ORDER BY id DESC LIMIT 1").fetchone()
    assert count == len(tracker.events) + 1
    assert json.loads(last)["text"] == "my email is <EMAIL>"
