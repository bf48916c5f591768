"""The redactor: Presidio's analyzer on a blank spaCy English pipeline with our UK recognisers.

``redact(text)`` returns the text with every identifier replaced by a typed placeholder
(``<PHONE>``, ``<NAME>``, ...). The service catalogue's own numbers, e-mails and web sites are
never redacted. The analyzer is built once per process and results are cached.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple
from urllib.parse import urlparse

from redaction import recognizers as rec

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {
    "PHONE": "<PHONE>", "EMAIL": "<EMAIL>", "POSTCODE": "<POSTCODE>", "NHS_NUMBER": "<NHS_NUMBER>",
    "NI_NUMBER": "<NI_NUMBER>", "ADDRESS": "<ADDRESS>", "DATE_OF_BIRTH": "<DATE_OF_BIRTH>",
    "HANDLE": "<HANDLE>", "NAME": "<NAME>", "SCHOOL": "<SCHOOL>", "URL": "<URL>",
}
# When two findings overlap, the more specific kind wins (then the longer span).
PRIORITY = ["EMAIL", "URL", "NHS_NUMBER", "NI_NUMBER", "POSTCODE", "ADDRESS", "PHONE", "DATE_OF_BIRTH",
            "HANDLE", "SCHOOL", "NAME"]
CHUNK = 4000  # long texts are analysed in pieces split at whitespace
CACHE_SIZE = 8192

logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: str

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.entity]


def spacy_model_dir() -> Path:
    """A blank English spaCy pipeline saved to disk (made on first use; nothing is downloaded)."""
    target = Path(os.environ.get("SAFEGUARD_SPACY_BLANK_DIR", ROOT / "var" / "spacy-blank-en"))
    if (target / "meta.json").exists():
        return target
    import spacy

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".spacy-blank-", dir=target.parent))
    spacy.blank("en").to_disk(staging)
    try:
        staging.rename(target)  # atomic; another process may have won the race
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def protected_contacts() -> Tuple[List[str], List[str], List[str]]:
    """(phone numbers, e-mails, web hosts) from the service catalogue: never redacted."""
    import service_catalogue

    numbers = list(service_catalogue.phone_numbers().values())
    emails = sorted(service_catalogue.emails())
    hosts = sorted({urlparse(u).hostname or "" for u in service_catalogue.urls()} - {""})
    return numbers, emails, hosts


class Redactor:
    def __init__(self) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer

        numbers, emails, hosts = protected_contacts()
        self.protected_digits = {rec.digits(n) for n in numbers}
        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(spacy_model_dir())}],
        })
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in [
            rec.phone_recognizer(numbers), rec.long_number_recognizer(numbers),
            PhoneRecognizer(supported_regions=("GB",), supported_language="en"),
            rec.email_recognizer(emails), rec.postcode_recognizer(), rec.nhs_recognizer(), rec.ni_recognizer(),
            rec.address_recognizer(), rec.dob_recognizer(), rec.handle_recognizer(), rec.name_recognizer(),
            *rec.school_recognizers(), rec.url_recognizer(hosts),
        ]:
            registry.add_recognizer(recognizer)
        self.engine = AnalyzerEngine(registry=registry, nlp_engine=provider.create_engine(),
                                     supported_languages=["en"])
        self.entities = list(PLACEHOLDERS)
        self._cached = functools.lru_cache(maxsize=CACHE_SIZE)(self._redact_uncached)

    # ----- analysis -----
    def spans(self, text: str) -> List[Span]:
        found: List[Span] = []
        for offset, piece in _chunks(text):
            for result in self.engine.analyze(piece, language="en", entities=self.entities):
                if result.entity_type == "PHONE" and self._is_protected_number(piece[result.start:result.end]):
                    continue
                found.append(Span(result.start + offset, result.end + offset, result.entity_type))
        return _resolve(found)

    def _is_protected_number(self, value: str) -> bool:
        return rec.digits(value) in self.protected_digits or rec.national_digits(value) in self.protected_digits

    # ----- replacement -----
    def redact_with_spans(self, text: str) -> Tuple[str, Tuple[Span, ...]]:
        if not isinstance(text, str) or not text.strip():
            return text, ()
        return self._cached(text)

    def _redact_uncached(self, text: str) -> Tuple[str, Tuple[Span, ...]]:
        spans = self.spans(text)
        pieces, cursor = [], 0
        for span in spans:
            pieces.append(text[cursor:span.start])
            pieces.append(span.placeholder)
            cursor = span.end
        pieces.append(text[cursor:])
        return "".join(pieces), tuple(spans)

    def redact(self, text: str) -> str:
        return self.redact_with_spans(text)[0]


def _chunks(text: str):
    if len(text) <= CHUNK:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind(" ", start + CHUNK // 2, end)
            end = cut if cut > start else end
        yield start, text[start:end]
        start = end


def _resolve(found: List[Span]) -> List[Span]:
    """Merge overlapping findings into one span; the most specific kind names it."""
    rank = {name: i for i, name in enumerate(PRIORITY)}
    merged: List[Span] = []
    for span in sorted(found, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = min((last, span), key=lambda s: (rank[s.entity], -(s.end - s.start)))
            merged[-1] = Span(last.start, max(last.end, span.end), best.entity)
        else:
            merged.append(span)
    return merged


def map_offset(position: int, spans: Tuple[Span, ...], is_end: bool = False) -> int:
    """Where ``position`` in the original text lands in the redacted text (a span maps to its placeholder)."""
    shift = 0
    for span in spans:
        if position <= span.start:
            break
        if position < span.end or (is_end and position == span.end):
            new_start = span.start + shift
            return new_start + len(span.placeholder) if is_end else new_start
        shift += len(span.placeholder) - (span.end - span.start)
    return position + shift


@functools.lru_cache(maxsize=1)
def get_redactor() -> Redactor:
    return Redactor()


def redact(text: str) -> str:
    return get_redactor().redact(text)
