"""Platform addresses become pseudonymous conversation ids; the address is kept only encrypted."""
from __future__ import annotations

import sqlite3

import pytest

from channels import contacts


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "contacts.db"
    monkeypatch.setenv("SAFEGUARD_DB_URL", f"sqlite:///{path}")
    return path


def test_the_conversation_id_is_a_stable_pseudonym_and_the_address_comes_back(db):
    first = contacts.remember("twilio", "+447700900111")
    assert first == contacts.remember("twilio", "+447700900111") and first.startswith(contacts.PREFIX)
    assert "447700900111" not in first
    assert contacts.address_for(first) == "+447700900111"
    assert contacts.remember("twilio", "whatsapp:+447700900111") != first
    assert contacts.remember("telegram", "+447700900111") != first


def test_the_address_is_stored_encrypted(db):
    contacts.remember("twilio", "+447700900222")
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT * FROM channel_contacts").fetchall()
    assert rows and "447700900222" not in repr(rows)


def test_ids_that_are_not_pseudonyms_pass_through_and_a_forgotten_one_is_refused(db):
    assert contacts.address_for("12345") == "12345"
    with pytest.raises(LookupError):
        contacts.address_for(contacts.pseudonym("twilio", "+447700900333"))


def test_the_pseudonym_depends_on_the_secret_key():
    one, two = contacts.key_from("first secret"), contacts.key_from("second secret")
    assert contacts.pseudonym("twilio", "+447700900444", one) != contacts.pseudonym("twilio", "+447700900444", two)
