"""Shared helpers for the redaction tests: planted identifiers, route names from replies, SQL on stored rows."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, Iterable, List

import yaml

ROOT = Path(__file__).resolve().parents[2]

# A conversation a child might type, full of identifiers (made up; phones from Ofcom's drama range).
PLANTED = {
    "Jess": "NAME", "Whitfield": "NAME", "07700 900123": "PHONE", "jess.whitfield11@gmail.com": "EMAIL",
    "LS6 2AB": "POSTCODE", "14 Elm Road": "ADDRESS", "943 476 5919": "NHS_NUMBER", "QQ 12 34 56 C": "NI_NUMBER",
    "03/05/2011": "DATE_OF_BIRTH", "@jess_w2011": "HANDLE", "Oakwood Academy": "SCHOOL",
    "https://www.instagram.com/jess.whitfield11/": "URL",
}
CONVERSATION_WITH = [
    "my name is Jess Whitfield and someone at home is hurting me",
    "im 12",
    "my number is 07700 900123 and my email is jess.whitfield11@gmail.com",
    "i live at 14 Elm Road LS6 2AB, i go to Oakwood Academy",
    "my nhs number is 943 476 5919 and my ni number is QQ 12 34 56 C, born 03/05/2011",
    "my insta is @jess_w2011 https://www.instagram.com/jess.whitfield11/",
]
# What must never be found in stored rows (the words of the identifiers, compared case-insensitively).
FORBIDDEN = ["jess", "whitfield", "07700", "900123", "7700900123", "gmail", "ls6", "2ab", "elm road", "943 476",
             "9434765919", "qq 12", "03/05/2011", "jess_w2011", "oakwood", "instagram.com/jess"]


def load_domain() -> Dict:
    with (ROOT / "domain.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def route_texts() -> Dict[str, str]:
    """Text of each service response -> its name (utter_route_*)."""
    found = {}
    for name, variants in load_domain()["responses"].items():
        if name.startswith("utter_route_"):
            for variant in variants:
                found[variant["text"].strip()] = name
    return found


def routes_in(replies: Iterable[Dict]) -> List[str]:
    table = route_texts()
    return [table[r["text"].strip()] for r in replies if r.get("text", "").strip() in table]


# Ids and times the server generates (message ids, test sender ids, event timestamps): random hex or
# digits that can contain a forbidden fragment such as "2ab" by chance, so they are left out of the check.
_GENERATED = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b|\btest-[0-9a-f]{12}\b"
                        r"|\b\d{9,}\.\d+\b")


def stored_rows_text(rows: Iterable) -> str:
    """Everything stored for the conversation, lower-cased, with JSON escapes undone and generated ids removed."""
    parts = []
    for row in rows:
        for value in row:
            if isinstance(value, str):
                try:
                    parts.append(json.dumps(json.loads(value), ensure_ascii=False))
                except ValueError:
                    parts.append(value)
            elif value is not None:
                parts.append(str(value))
    return _GENERATED.sub("<id>", "\n".join(parts).lower())
