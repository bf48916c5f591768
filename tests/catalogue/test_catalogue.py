"""The one catalogue: complete entries, generated files up to date, and no contact detail
anywhere in the project written differently from it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import service_catalogue as catalogue
from service_catalogue import build

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("name", "for", "topics", "free", "confidentiality", "source", "checked")
SCANNED = ["domain.yml", "data", "actions", "webchat", "channels", "handoff", "nlu_components", "service_catalogue/build.py"]
SKIP_PARTS = {"node_modules", "__pycache__", "vendor"}
TEXT_SUFFIXES = {".yml", ".yaml", ".py", ".html", ".js", ".css", ".json", ".md", ".txt", ".jinja", ".j2"}


def scanned_files():
    for entry in SCANNED:
        path = ROOT / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix in TEXT_SUFFIXES and not SKIP_PARTS & set(file.parts) \
                        and not file.name.endswith(".min.js") and file.name != "package-lock.json":
                    yield file


@pytest.mark.parametrize("key", sorted(catalogue.load_services()))
def test_every_service_entry_is_complete(key):
    entry = catalogue.service(key)
    missing = [field for field in REQUIRED if entry.get(field) in (None, "", [])]
    assert not missing, f"{key} lacks {missing}"
    assert any(entry.get(f) for f in ("phone", "text_number", "email", "web")), f"{key} has no way to reach it"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry["checked"])), "checked must be a date"
    assert all(part.strip().startswith("https://") for part in entry["source"].split(";")), "sources are pages"


def test_hours_are_only_given_where_read_and_current():
    # services.md: NSPCC phone hours, Stop It Now and Whistleblowing hours are unconfirmed.
    services = catalogue.load_services()
    assert "hours" not in services["stop_it_now"] and "hours" not in services["whistleblowing"]
    assert "phone" not in services["nspcc_helpline"]["hours"].lower()


def test_generated_responses_and_rules_are_up_to_date():
    assert build.main(["--check"]) == 0, "run `make domain` and commit the result"


@pytest.mark.parametrize("key", sorted(build.TEMPLATES))
def test_each_route_response_carries_its_service_details(key):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    text = domain["responses"][build.RESPONSE_NAMES[key]][0]["text"]
    entry = catalogue.service(key)
    for field in ("phone", "email", "text_number"):
        if entry.get(field) and (field != "email" or "@" in entry[field]):
            assert str(entry[field]) in text, f"{key}: {field} missing from its response"
    if not entry.get("phone") and not entry.get("text_number"):
        assert entry["web"] in text, f"{key}: its web address is its route"
    if entry.get("hours"):
        assert entry["hours"].lower() in text.lower(), f"{key}: known hours missing"
    assert entry["name"].split(" (")[0] in text or key == "emergency"
    if entry.get("free"):
        assert "free" in text.lower()


def test_no_contact_detail_anywhere_disagrees_with_the_catalogue():
    problems = []
    for file in scanned_files():
        for number, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for problem in catalogue.disagreements(line):
                problems.append(f"{file.relative_to(ROOT)}:{number}: {problem}")
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_wrong_form_and_a_wrong_number():
    assert catalogue.disagreements("call 08001111") and catalogue.disagreements("call 0800 1112")
    assert catalogue.disagreements("email help@nspcc.org") and catalogue.disagreements("https://childline.org.uk/x")
    assert not catalogue.disagreements("served at http://127.0.0.1:8080 and https://www.bbc.co.uk/weather")
    assert not catalogue.disagreements("call 0800 1111 or text SHOUT to 85258, https://www.iwf.org.uk/report")


def test_routing_table_names_only_existing_responses_and_intents():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    responses, intents = set(domain["responses"]) | set(domain["actions"]), set(domain["intents"])
    for topic, spec in catalogue.load_routing().items():
        assert spec["intent"] in intents, topic
        for key in ("first", "child", "adult", "any"):
            for name in spec.get(key, []):
                assert name in responses, f"{topic}.{key}: {name}"
        assert "any" in spec or ("child" in spec and "adult" in spec), topic


def test_danger_is_always_first_and_the_main_routes_need_no_action_server():
    spec = catalogue.load_routing()["danger"]
    assert spec["first"][0] == "utter_route_999"
    assert spec["child"][0] == "utter_route_childline" and spec["adult"][0] == "utter_route_nspcc_helpline"


@pytest.mark.parametrize("topic", ["self_harm", "abuse", "talk"])
def test_the_other_safety_topics_still_say_999(topic):
    # danger read as self-harm or a disclosure (the classifier's commonest safety confusions, docs/nlu.md),
    # or self-harm whose danger reading gave way to a sure classifier, must still show 999 in the first reply;
    # so must a request to talk, the ordinary intent danger is most often read as (sixteenth session)
    ack = catalogue.load_routing()[topic]["ack"]
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    assert all("call 999" in variant["text"] for variant in responses[ack]), ack
