"""The one catalogue of support services, and helpers to check text against it.

Everything that names a service (domain responses, actions, web assets, channel
formatting) takes its details from ``service_catalogue/services.yml`` through this module.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set

import yaml

HERE = Path(__file__).resolve().parent
SERVICES_FILE = HERE / "services.yml"
ROUTING_FILE = HERE / "routing.yml"

# Phone-like runs: six or more digits, optionally separated by single spaces or hyphens
# ("0800 1111", "0808-800-5000", "116123"). Short codes (999, 101, 85258) are checked
# separately: a standalone token equal to a catalogue short number is fine as written.
PHONE_RE = re.compile(r"(?<![\w/.#])(?:\+44 ?)?\d(?:[ -]?\d){5,12}(?![\w/])")
FICTIONAL_UK_MOBILE = re.compile(r"(?:44|0)7700900\d{3}")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL_RE = re.compile(r"https?://[^\s\"'<>)\]]+")

CONTACT_FIELDS = ("phone", "non_emergency_phone", "text_number")


@functools.lru_cache(maxsize=1)
def load_services() -> Dict[str, Dict[str, Any]]:
    with SERVICES_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["services"]


@functools.lru_cache(maxsize=1)
def load_routing() -> Dict[str, Dict[str, Any]]:
    with ROUTING_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["topics"]


def service(key: str) -> Dict[str, Any]:
    return load_services()[key]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def phone_numbers() -> Dict[str, str]:
    """Every catalogue phone or text number, keyed by its digits, valued by its canonical form."""
    numbers: Dict[str, str] = {}
    for entry in load_services().values():
        for field in CONTACT_FIELDS:
            if entry.get(field):
                numbers[digits(str(entry[field]))] = str(entry[field])
    return numbers


def emails() -> Set[str]:
    return {str(entry["email"]) for entry in load_services().values() if "@" in str(entry.get("email", ""))}


def urls() -> Set[str]:
    found: Set[str] = set()
    for entry in load_services().values():
        for field in ("web",):
            if entry.get(field):
                found.add(str(entry[field]))
    return found


def _host(url: str) -> str:
    return re.sub(r"^https?://", "", url).split("/")[0].split(":")[0].lower().removeprefix("www.")


def _service_host(url: str) -> bool:
    """Whether a web address points at one of the services' own sites (others, like loopback, are not ours to check)."""
    return _host(url) in {_host(u) for u in urls()}


def iter_contacts(text: str) -> Iterator[tuple]:
    """Yield (kind, value) for every phone-like number, e-mail and web address in ``text``."""
    for match in URL_RE.finditer(text):
        yield "url", match.group(0).rstrip(".,;:")
    without_urls = URL_RE.sub(" ", text)
    for match in EMAIL_RE.finditer(without_urls):
        yield "email", match.group(0)
    without_emails = EMAIL_RE.sub(" ", without_urls)
    for match in PHONE_RE.finditer(without_emails):
        yield "phone", match.group(0)


def disagreements(text: str) -> List[str]:
    """Contacts in ``text`` that are not written exactly as the catalogue writes them."""
    problems = []
    numbers = phone_numbers()
    for kind, value in iter_contacts(text):
        if kind == "url" and value not in urls() and _service_host(value):
            problems.append(f"a service's web address not as in the catalogue: {value}")
        elif kind == "email" and value not in emails():
            problems.append(f"e-mail not in catalogue: {value}")
        elif kind == "phone":
            canonical = numbers.get(digits(value))
            if canonical is None and FICTIONAL_UK_MOBILE.fullmatch(digits(value)):
                continue  # Ofcom's range for drama and examples: a user's number in docs, not a service
            if canonical is None:
                problems.append(f"number not in catalogue: {value}")
            elif value != canonical:
                problems.append(f"number {value!r} written differently from catalogue {canonical!r}")
    return problems
