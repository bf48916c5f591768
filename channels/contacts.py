"""Messaging-platform addresses are never used as conversation ids.

A phone number (SMS, WhatsApp) or platform user id would otherwise become Rasa's sender id and
be stored, unredacted, in every event row and handoff record. Instead the conversation id is a
keyed pseudonym (HMAC-SHA256 with CHANNEL_ID_KEY), and the address itself is kept only in
``channel_contacts``, encrypted (Fernet, key derived from the same secret), so that replies and
staff messages can still be sent. ``make purge`` deletes rows past the retention limit.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "pc-"  # "platform contact": tells a pseudonym from any other conversation id
metadata = sa.MetaData()
contacts = sa.Table(
    "channel_contacts", metadata,
    sa.Column("pseudonym", sa.String(64), primary_key=True),
    sa.Column("address", sa.Text, nullable=False),  # Fernet token of the platform address
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False, index=True),
)


def key_from(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


@functools.lru_cache(maxsize=1)
def _key() -> bytes:
    # Without a configured key (a test process), a random one: ids then last for this process only.
    return key_from(os.environ.get("CHANNEL_ID_KEY", "") or secrets.token_hex(32))


def pseudonym(channel: str, address: str, key: bytes = b"") -> str:
    digest = hmac.new(key or _key(), f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"{PREFIX}{channel}-{digest[:24]}"


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hmac.new(_key(), b"channel-contacts", hashlib.sha256).digest()))


@functools.lru_cache(maxsize=4)
def _engine(url: str) -> sa.engine.Engine:
    engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def _db() -> sa.engine.Engine:
    return _engine(os.environ.get("SAFEGUARD_DB_URL", f"sqlite:///{ROOT / 'var' / 'rasa.db'}"))


def remember(channel: str, address: str) -> str:
    """The conversation id for this platform address; keeps the address (encrypted) for replies."""
    conversation_id = pseudonym(channel, address)
    token = _fernet().encrypt(address.encode()).decode()
    now = datetime.now(timezone.utc)
    with _db().begin() as connection:
        updated = connection.execute(contacts.update().where(contacts.c.pseudonym == conversation_id)
                                     .values(address=token, last_seen_at=now)).rowcount
        if not updated:
            connection.execute(contacts.insert().values(pseudonym=conversation_id, address=token, last_seen_at=now))
    return conversation_id


def address_for(recipient_id: str) -> str:
    """The platform address behind a conversation id (ids that are not pseudonyms are addresses)."""
    if not recipient_id.startswith(PREFIX):
        return recipient_id
    with _db().connect() as connection:
        token = connection.execute(sa.select(contacts.c.address)
                                   .where(contacts.c.pseudonym == recipient_id)).scalar()
    if token is None:
        raise LookupError("no platform address is kept for this conversation (purged or never seen)")
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise LookupError("the platform address cannot be read with the current CHANNEL_ID_KEY") from error
