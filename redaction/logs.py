"""Keep what users say out of application logs at INFO and above.

Two layers, installed by ``install()`` (the launcher ``redaction.serve`` calls it before Rasa starts):
- structlog (Rasa's own event logs): fields that carry user content (``text``, ``user_message``,
  ``rasa_event``, ``parse_data_text``...) are replaced by ``"<redacted>"`` in every entry at INFO
  or above, through Rasa's own anonymiser hook point in ``rasa.utils.log_utils``.
- the standard ``logging`` module: every record at INFO or above has its message and any
  traceback text passed through the redactor before any handler sees it.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Dict

REDACTED = "<redacted>"
# Rasa's list of structlog keys that may carry user content, and a few more of ours.
USER_CONTENT_KEYS = {
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message", "metadata", "parse_data", "events", "tracker", "slots", "value", "entities",
}
QUIET_LEVELS = {"debug", "trace", "notset"}

_installed = False


def scrub_event_dict(_logger: Any, method_name: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """structlog processor: drop user content from entries at INFO or above."""
    if str(method_name).lower() in QUIET_LEVELS:
        return event_dict
    for key in list(event_dict):
        if key in USER_CONTENT_KEYS:
            event_dict[key] = REDACTED
    return event_dict


class RedactingRecordFilter(logging.Filter):
    """Redacts identifiers from the message and traceback of every record at INFO or above."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO or getattr(record, "_redacted", False):
            return True
        from redaction.redactor import get_redactor

        redactor = get_redactor()
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep only the template
            message = str(record.msg)
        record.msg, record.args = redactor.redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redactor.redact(record.exc_text)
        record._redacted = True
        return True


def _record_factory(previous):
    record_filter = RedactingRecordFilter()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record_filter.filter(record)
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Install both layers in this process (idempotent)."""
    global _installed
    if _installed:
        return
    import rasa.utils.log_utils as log_utils

    original = log_utils._anonymizer

    def anonymizer(logger: Any, method_name: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
        return scrub_event_dict(logger, method_name, original(logger, method_name, event_dict))

    log_utils._anonymizer = anonymizer
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacting", False):
        logging.setLogRecordFactory(_record_factory(current))
    _installed = True
