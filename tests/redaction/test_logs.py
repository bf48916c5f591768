"""Application logs never carry user text at INFO or above."""
from __future__ import annotations

import io
import logging

from redaction import logs


def test_log_records_at_info_and_above_are_redacted():
    logs.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.redaction.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("user said %s", "my name is Jess, ring 07700 900123")
        logger.warning("failed for jess.smith@gmail.com")
        try:
            raise ValueError("bad input: i live at 12 Elm Road LS6 2AB")
        except ValueError:
            logger.exception("handling failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "Jess" not in out and "07700" not in out and "jess.smith" not in out
    assert "Elm Road" not in out and "LS6" not in out
    assert "<PHONE>" in out and "<EMAIL>" in out and "ValueError" in out


def test_structlog_entries_at_info_and_above_drop_user_content():
    entry = {"event": "rest.message.received.failure", "text": "my name is Jess", "user_message": "hi",
             "rasa_event": {"text": "x"}, "sender_id": "abc"}
    scrubbed = logs.scrub_event_dict(None, "error", dict(entry))
    assert scrubbed["text"] == scrubbed["user_message"] == scrubbed["rasa_event"] == logs.REDACTED
    assert scrubbed["event"] == "rest.message.received.failure"
    assert logs.scrub_event_dict(None, "debug", dict(entry))["text"] == "my name is Jess"


def test_rasa_uses_the_scrubbing_anonymizer_after_install():
    import rasa.utils.log_utils as log_utils

    logs.install()
    out = log_utils._anonymizer(None, "error", {"event": "x", "text": "my name is Jess"})
    assert out["text"] == logs.REDACTED
