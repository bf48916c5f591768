"""Redaction before storage: nothing that identifies a person is stored.

- ``redaction.redactor``: Presidio on a blank spaCy pipeline with UK recognisers; ``redact(text)``.
- ``redaction.events``: redacts a Rasa event dict (user text, parse data, entities, slots, metadata, bot text).
- ``redaction.store.RedactingSQLTrackerStore``: Rasa's SQL tracker store (SQLite, PostgreSQL) that
  redacts every event before it is written or published to an event broker.
- ``redaction.logs``: keeps user text out of application logs at INFO and above.
- ``redaction.serve``: launcher that refuses to start Rasa unless the redacting store is in use.
- ``redaction.retention``: ``python -m redaction.retention purge [--days N]``.
"""
