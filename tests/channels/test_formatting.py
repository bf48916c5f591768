"""Unit tests: splitting, numbered options, reading replies back, SMS alphabet, handoff words,
signature checks, the replay store and which platforms are on."""
from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
import yaml

import service_catalogue
from channels import credentials, formatting, replay, verify
from tests.channels.platform_requests import twilio_signature

CATALOGUE_CONTACTS = sorted(set(service_catalogue.phone_numbers().values()) | service_catalogue.urls()
                            | service_catalogue.emails(), key=len)
BUTTONS = [{"title": "I'm under 19", "payload": '/inform_audience{"audience":"child"}'},
           {"title": "I'm an adult", "payload": '/inform_audience{"audience":"adult"}'}]


# ---------------------------------------------------------------- splitting
def test_short_text_is_one_part():
    assert formatting.split_text("  Call Childline.  ", 100) == ["Call Childline."]
    assert formatting.split_text("   ", 100) == []


@pytest.mark.parametrize("limit", [30, 47, 60, 153, 160, 670])
def test_split_never_cuts_a_catalogue_contact(limit):
    words = []
    for index, contact in enumerate(CATALOGUE_CONTACTS * 3):
        words.append(f"Sentence {index} says you can reach them at {contact} today.")
    text = " ".join(words)
    parts = formatting.split_text(text, max(limit, max(map(len, CATALOGUE_CONTACTS))))
    assert " ".join(parts) == text
    for contact in CATALOGUE_CONTACTS:
        assert sum(p.count(contact) for p in parts) == text.count(contact), contact


def test_split_prefers_paragraphs_then_sentences_then_words():
    text = "First paragraph is here.\n\nSecond one. It has two sentences."
    assert formatting.split_text(text, 40) == ["First paragraph is here.", "Second one. It has two sentences."]
    sentences = "One two three four. Five six seven eight nine ten eleven."
    assert formatting.split_text(sentences, 38) == ["One two three four.", "Five six seven eight nine ten eleven."]
    # a sentence end in the first half of the window is passed over for a later word gap
    assert formatting.split_text(sentences, 50)[0] == "One two three four. Five six seven eight nine ten"
    assert formatting.split_text("aaa bbb ccc ddd", 8) == ["aaa bbb", "ccc ddd"]


def test_unbroken_run_is_cut_hard_but_within_limit():
    parts = formatting.split_text("x" * 250, 100)
    assert [len(p) for p in parts] == [100, 100, 50]


def test_phone_number_straddling_the_limit_moves_whole_to_next_part():
    phone = service_catalogue.service("nspcc_helpline")["phone"]  # "0808 800 5000"
    text = "a" * 20 + " " + phone + " end"
    parts = formatting.split_text(text, 27)
    assert phone in parts[1] and all(len(p) <= 27 for p in parts)


def test_huge_hostile_text_is_split_fast_and_within_limits():
    text = ("<script>alert(1)</script> \u202e\u0000 https://example.org/" + "a" * 50 + " 0800 1111 ") * 400
    parts = formatting.split_text(text, formatting.MESSENGER_LIMIT)
    assert all(len(p) <= formatting.MESSENGER_LIMIT for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "").strip()


# ---------------------------------------------------------------- SMS alphabet
def test_sms_rule():
    assert formatting.sms_limit("Call Childline on 0800 1111.") == 1530
    assert formatting.sms_limit("Price in € or 😊") == 670
    plain = formatting.sms_text("It\u2019s free \u2013 \u201cany time\u201d\u2026")
    assert plain == "It's free - \"any time\"..." and formatting.is_gsm7(plain)


# ---------------------------------------------------------------- numbered options
def test_numbered_options_text():
    text = formatting.with_numbered_options("Are you under 19?", BUTTONS)
    assert text == "Are you under 19?\n\nReply with a number (or the words):\n1. I'm under 19\n2. I'm an adult"


@pytest.mark.parametrize("reply,expected", [
    ("1", 0), (" 2 ", 1), ("2.", 1), ("#1", 0), ("option 2", 1), ("one", 0), ("Two", 1),
    ("I'm under 19", 0), ("im an adult", None), ("i\u2019m AN adult!", 1), ("3", None), ("0", None),
    ("I'm 14", None), ("", None), ("12345678901234567890", None)])
def test_reply_maps_to_payload(reply, expected):
    got = formatting.match_reply(reply, BUTTONS)
    assert got == (BUTTONS[expected]["payload"] if expected is not None else None)


def test_last_offered_buttons_only_until_the_user_answers():
    bot = {"event": "bot", "text": "Who?", "data": {"buttons": BUTTONS}}
    assert formatting.last_offered_buttons([bot]) == BUTTONS
    assert formatting.last_offered_buttons([bot, {"event": "bot", "text": "more", "data": {}}]) == BUTTONS
    assert formatting.last_offered_buttons([bot, {"event": "user", "text": "1"}]) is None
    assert formatting.last_offered_buttons([]) is None


# ---------------------------------------------------------------- handoff words
def test_handoff_words():
    queued = formatting.handoff_text({"handoff": {"status": "queued", "position": 3, "wait_minutes": 1}})
    assert "number 3 in the queue" in queued and "about 1 minute." in queued
    closed = formatting.handoff_text({"handoff": {"status": "unavailable", "reason": "out_of_hours"}})
    assert "opening hours" in closed and service_catalogue.service("childline")["phone"] in closed
    assert service_catalogue.disagreements(closed) == []
    assert "joined" in formatting.handoff_text({"handoff": {"status": "connected"}})
    assert "assistant again" in formatting.handoff_text({"handoff": {"status": "ended"}})
    assert formatting.handoff_text({"handoff": {"status": "weird"}}) is None
    assert formatting.handoff_text({"something": "else"}) is None


# ---------------------------------------------------------------- verification
def test_telegram_secret():
    assert verify.telegram_secret_ok("s3cret", "s3cret")
    assert not verify.telegram_secret_ok("s3cret", "s3cre")
    assert not verify.telegram_secret_ok("s3cret", None)
    assert not verify.telegram_secret_ok("", "")
    assert not verify.telegram_secret_ok("s3cret", "\udcff")


def test_hub_signature():
    body = b'{"object":"page"}'
    good = "sha256=" + hmac.new(b"appsecret", body, hashlib.sha256).hexdigest()
    assert verify.hub_signature_ok("appsecret", body, good)
    assert not verify.hub_signature_ok("appsecret", body + b" ", good)
    assert not verify.hub_signature_ok("other", body, good)
    sha1 = "sha1=" + hmac.new(b"appsecret", body, hashlib.sha1).hexdigest()
    assert not verify.hub_signature_ok("appsecret", body, sha1)
    assert not verify.hub_signature_ok("appsecret", body, "sha256=zz\u00e9")


def test_twilio_signature_matches_the_documented_example():
    # The example in Twilio's security documentation (twilio.com/docs/usage/security).
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
              "From": "+12349013030", "To": "+18005551212"}
    token = "12345"
    expected = base64.b64encode(hmac.new(token.encode(), (url + "".join(k + params[k] for k in sorted(params))).encode(),
                                         hashlib.sha1).digest()).decode()
    assert twilio_signature(token, url, params) == expected
    assert verify.twilio_signature_ok(token, url, params, expected)
    assert not verify.twilio_signature_ok(token, url, dict(params, Digits="1235"), expected)
    assert not verify.twilio_signature_ok(token, url, params, None)


# ---------------------------------------------------------------- replay store
def test_replay_store(tmp_path):
    store = replay.SeenStore(f"sqlite:///{tmp_path / 'seen.db'}", days=30)
    assert store.first_time("telegram", "1")
    assert not store.first_time("telegram", "1")
    assert store.first_time("twilio", "1")  # per platform
    again = replay.SeenStore(f"sqlite:///{tmp_path / 'seen.db'}")  # another process / a restart
    assert not again.first_time("telegram", "1")
    expired = replay.SeenStore(f"sqlite:///{tmp_path / 'seen.db'}", days=-1)
    assert expired.prune() == 2
    assert expired.first_time("telegram", "1")


def test_relative_sqlite_url_is_resolved_from_the_project_root():
    assert replay.database_url("sqlite:///var/rasa.db") == f"sqlite:///{replay.ROOT / 'var' / 'rasa.db'}"
    assert replay.database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


# ---------------------------------------------------------------- which platforms are on
def test_platforms_on_only_with_all_their_variables(tmp_path):
    base = tmp_path / "credentials.yml"
    base.write_text("rest:\nsocketio:\n  session_persistence: true\n")
    env = {"TELEGRAM_BOT_TOKEN": "1:abc", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t",
           "MESSENGER_APP_SECRET": "s", "MESSENGER_VERIFY_TOKEN": "v"}
    assert credentials.enabled(env) == []  # each is missing something
    env.update({"TELEGRAM_SECRET_TOKEN": "x", "TWILIO_WHATSAPP_NUMBER": "whatsapp:+1"})
    assert [p.name for p in credentials.enabled(env)] == ["telegram", "twilio"]
    written = yaml.safe_load(credentials.write(tmp_path / "state" / "credentials.yml", base, env).read_text())
    assert list(written) == ["rest", "socketio", "channels.telegram.TelegramInput", "channels.twilio.TwilioInput"]
    lines = credentials.status_lines(env, "http://127.0.0.1:5005")
    assert lines[0] == "Telegram: on, webhook http://127.0.0.1:5005/webhooks/telegram/webhook"
    assert lines[1] == "Facebook Messenger: off (set MESSENGER_PAGE_ACCESS_TOKEN)"
    assert "1:abc" not in (tmp_path / "state" / "credentials.yml").read_text()
