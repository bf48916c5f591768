"""Scripted conversations against the real Rasa server (REST channel): routes given and not given."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from tests.support import RestUser

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = yaml.safe_load((Path(__file__).with_name("conversations.yml")).read_text())["conversations"]


def response_names() -> Dict[str, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    names = {}
    for name, variants in domain["responses"].items():
        for variant in variants:
            if variant.get("text"):
                names[variant["text"].strip()] = name
    return names


NAMES = response_names()


def named(replies: List[dict]) -> List[str]:
    return [NAMES.get((r.get("text") or "").strip(), "custom" if r.get("custom") else f"?{r.get('text')}") for r in replies]


def test_there_are_at_least_fifty_conversations_covering_every_route():
    assert len(SCRIPT) >= 50
    mentioned = {name for c in SCRIPT for t in c["turns"] for name in t.get("includes", []) + [t.get("first")]}
    routes = {n for n in NAMES.values() if n.startswith("utter_route_")}
    assert routes <= mentioned, routes - mentioned


@pytest.mark.parametrize("conversation", SCRIPT, ids=[c["name"] for c in SCRIPT])
def test_conversation(rasa_url, conversation):
    user = RestUser(rasa_url)
    for turn in conversation["turns"]:
        got = named(user.say(turn["say"]))
        where = f"said {turn['say']!r}, got {got}"
        if turn.get("first"):
            assert got and got[0] == turn["first"], where
        for name in turn.get("includes", []):
            assert name in got, where
        for name in turn.get("excludes", []):
            assert name not in got, where
