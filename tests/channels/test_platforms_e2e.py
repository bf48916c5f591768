"""Messaging platforms end to end: real-format webhooks into a running Rasa server, replies read
from the fake platform API, the tracker store read with SQL."""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
import uuid
from pathlib import Path

import pytest
import yaml

import service_catalogue
from channels import contacts, formatting
from tests.channels import platform_requests as pr
from tests.support import http

CHILDLINE = service_catalogue.service("childline")
NSPCC = service_catalogue.service("nspcc_helpline")
CREDENTIALS = Path(__file__).resolve().parents[2] / "credentials.yml"
DISCLOSURE = "im 14 and my dad hits me"


PLATFORM_CHANNELS = ("telegram", "facebook", "twilio")


def conversation_id(stack, channel: str, sender: str) -> str:
    """The pseudonymous conversation id the platform address is stored under (channels/contacts.py)."""
    return contacts.pseudonym(channel, sender, contacts.key_from(stack.extra_env["CHANNEL_ID_KEY"]))


def conversation_ids(stack, sender: str):
    return [sender] + [conversation_id(stack, channel, sender) for channel in PLATFORM_CHANNELS]


def event_count(stack, sender: str) -> int:
    ids = conversation_ids(stack, sender)
    with sqlite3.connect(stack.state_dir / "rasa.db") as db:
        try:
            return db.execute(f"SELECT COUNT(*) FROM events WHERE sender_id IN ({','.join('?' * len(ids))})",
                              ids).fetchone()[0]
        except sqlite3.OperationalError:  # no events table yet: nothing stored
            return 0


def user_texts(stack, sender: str):
    ids = conversation_ids(stack, sender)
    with sqlite3.connect(stack.state_dir / "rasa.db") as db:
        rows = db.execute(f"SELECT data FROM events WHERE sender_id IN ({','.join('?' * len(ids))}) "
                          "AND type_name = 'user'", ids).fetchall()
    return [json.loads(r[0]).get("text") for r in rows]


def test_platform_addresses_are_never_stored_as_they_are(platform_stack, platform_env):
    number = phone()
    post_twilio(platform_stack, platform_env,
                pr.twilio_message(number, platform_env["TWILIO_SMS_NUMBER"], DISCLOSURE, platform_env["TWILIO_ACCOUNT_SID"]))
    assert event_count(platform_stack, number) > 0
    with sqlite3.connect(platform_stack.state_dir / "rasa.db") as db:
        dump = "\n".join(str(row) for table in ("events", "channel_contacts")
                         for row in db.execute(f"SELECT * FROM {table}").fetchall())
        stored_ids = {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events").fetchall()}
    assert number not in dump and number.lstrip("+") not in dump
    assert conversation_id(platform_stack, "twilio", number) in stored_ids


# ---------------------------------------------------------------- posting helpers
def post_telegram(platform_stack, env, update, secret="__right__"):
    secret = env["TELEGRAM_SECRET_TOKEN"] if secret == "__right__" else secret
    return http("POST", f"{platform_stack.rasa_url}/webhooks/telegram/webhook", raw=json.dumps(update).encode(),
                headers=pr.telegram_headers(secret))


def post_messenger(platform_stack, env, body, secret=None, headers=None):
    raw, signed = pr.messenger_signed(body, secret or env["MESSENGER_APP_SECRET"])
    return http("POST", f"{platform_stack.rasa_url}/webhooks/facebook/webhook", raw=raw,
                headers=signed if headers is None else headers)


def post_twilio(platform_stack, env, params, token=None, signature=None):
    raw, headers = pr.twilio_signed(params, token or env["TWILIO_AUTH_TOKEN"], env["TWILIO_WEBHOOK_URL"])
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
        if signature == "":
            del headers["X-Twilio-Signature"]
    return http("POST", f"{platform_stack.rasa_url}/webhooks/twilio/webhook", raw=raw, headers=headers)


def sms(env, sender, text, sid=None):
    return pr.twilio_message(sender, env["TWILIO_SMS_NUMBER"], text, env["TWILIO_ACCOUNT_SID"], sid)


def phone() -> str:
    return "+4477009" + str(uuid.uuid4().int)[:5]


# ---------------------------------------------------------------- off when unset
def test_platforms_without_credentials_are_off(stack):
    for name in ("telegram", "facebook", "twilio"):
        status, _ = http("POST", f"{stack.rasa_url}/webhooks/{name}/webhook", {"update_id": 1})
        assert status == 404, name
    effective = yaml.safe_load((stack.state_dir / "credentials.yml").read_text())
    assert set(effective) == set(yaml.safe_load(CREDENTIALS.read_text()))  # credentials.yml, nothing added


def test_on_platforms_are_in_the_effective_credentials(platform_stack, platform_env):
    text = (platform_stack.state_dir / "credentials.yml").read_text()
    effective = yaml.safe_load(text)
    assert set(effective) == set(yaml.safe_load(CREDENTIALS.read_text())) | {
        "channels.telegram.TelegramInput", "channels.messenger.FacebookInput", "channels.twilio.TwilioInput"}
    for name, value in platform_env.items():  # no secret written to disk
        assert value not in text, name


# ---------------------------------------------------------------- Telegram
def test_telegram_disclosure_routes_to_childline(platform_stack, platform_env, fake_platforms):
    chat = pr.new_id()
    status, _ = post_telegram(platform_stack, platform_env, pr.telegram_message(chat, DISCLOSURE))
    assert status == 200
    messages = fake_platforms.received(str(chat))
    text = "\n".join(m["text"] for m in messages)
    assert "Childline" in text and CHILDLINE["phone"] in text
    # the offer of a person comes with an inline keyboard whose buttons carry the payloads
    offer = [m for m in messages if m["buttons"]]
    assert offer and {b["callback_data"] for b in offer[-1]["buttons"]} == {"/request_human", "/deny"}
    assert all(c["json"].get("parse_mode") is None for c in fake_platforms.calls_to("telegram", "sendMessage"))


def test_telegram_typed_number_and_button_press(platform_stack, platform_env, fake_platforms):
    chat = pr.new_id()
    post_telegram(platform_stack, platform_env, pr.telegram_message(chat, "my dad hits me"))
    asked = fake_platforms.received(str(chat))
    assert asked[-1]["buttons"], asked  # who are you? with buttons
    post_telegram(platform_stack, platform_env, pr.telegram_message(chat, "1"))
    texts = fake_platforms.texts(str(chat))[len(asked):]
    assert any(CHILDLINE["phone"] in t for t in texts), texts
    assert user_texts(platform_stack, str(chat))[-1].startswith("/inform_audience")
    # pressing the "No thanks" inline button sends its payload as callback data
    before = len(fake_platforms.received(str(chat)))
    status, _ = post_telegram(platform_stack, platform_env, pr.telegram_callback(chat, "/deny"))
    assert status == 200
    assert fake_platforms.calls_to("telegram", "answerCallbackQuery")
    assert fake_platforms.received(str(chat))[before:], "no answer to the button press"


def test_telegram_refuses_missing_wrong_and_replayed_secret(platform_stack, platform_env, fake_platforms):
    chat = pr.new_id()
    calls = len(fake_platforms.calls)
    for secret in (None, "", "wrong-secret", platform_env["TELEGRAM_SECRET_TOKEN"] + "x"):
        status, _ = post_telegram(platform_stack, platform_env, pr.telegram_message(chat, DISCLOSURE), secret=secret)
        assert status == 403, secret
    assert event_count(platform_stack, str(chat)) == 0
    assert len(fake_platforms.calls) == calls
    update = pr.telegram_message(chat, "hello")
    assert post_telegram(platform_stack, platform_env, update)[0] == 200
    stored, sent = event_count(platform_stack, str(chat)), len(fake_platforms.received(str(chat)))
    assert stored > 0 and sent > 0
    assert post_telegram(platform_stack, platform_env, update)[0] == 403
    assert event_count(platform_stack, str(chat)) == stored
    assert len(fake_platforms.received(str(chat))) == sent


def test_telegram_bad_input_is_answered_safely(platform_stack, platform_env, fake_platforms):
    url = f"{platform_stack.rasa_url}/webhooks/telegram/webhook"
    headers = pr.telegram_headers(platform_env["TELEGRAM_SECRET_TOKEN"])
    assert http("POST", url, raw=b"{not json", headers=headers)[0] == 400
    assert http("POST", url, raw=b"\xff\xfe\x00binary", headers=headers)[0] == 400
    assert http("POST", url, raw=b'{"message": {}}', headers=headers)[0] == 400
    # a group chat is not served (a disclosure must not be answered in public)
    group = pr.new_id()
    update = pr.telegram_message(-group, DISCLOSURE, chat_type="group")
    assert post_telegram(platform_stack, platform_env, update)[0] == 200
    assert fake_platforms.received(str(-group)) == [] and event_count(platform_stack, str(-group)) == 0
    # a huge message in another language still gets an answer
    chat = pr.new_id()
    assert post_telegram(platform_stack, platform_env, pr.telegram_message(chat, "¿Qué? 你好 " * 2000))[0] == 200
    assert fake_platforms.received(str(chat))


# ---------------------------------------------------------------- Messenger
def test_messenger_subscription_check(platform_stack, platform_env):
    url = f"{platform_stack.rasa_url}/webhooks/facebook/webhook?"
    good = {"hub.mode": "subscribe", "hub.verify_token": platform_env["MESSENGER_VERIFY_TOKEN"], "hub.challenge": "1158201444"}
    assert http("GET", url + urllib.parse.urlencode(good)) == (200, 1158201444)
    bad = dict(good, **{"hub.verify_token": "guess"})
    assert http("GET", url + urllib.parse.urlencode(bad))[0] == 403


def test_messenger_quick_replies_and_numbered_fallback(platform_stack, platform_env, fake_platforms):
    psid = str(pr.new_id())
    assert post_messenger(platform_stack, platform_env, pr.messenger_delivery(psid, "my dad hits me"))[0] == 200
    asked = fake_platforms.received(psid)
    quick = asked[-1]["buttons"]
    assert [q["title"] for q in quick] == ["I'm under 19", "I'm an adult"]  # short titles: quick replies
    assert asked[-1]["call"]["query"]["access_token"] == [platform_env["MESSENGER_PAGE_ACCESS_TOKEN"]]
    # tapping the quick reply sends its payload
    body = pr.messenger_delivery(psid, "I'm under 19", quick_reply=quick[0]["payload"])
    assert post_messenger(platform_stack, platform_env, body)[0] == 200
    texts = fake_platforms.texts(psid)[len(asked):]
    assert any(CHILDLINE["phone"] in t for t in texts), texts
    # "Yes, I'd like to talk to a person" is over 20 characters: numbered text instead
    offer = fake_platforms.received(psid)[-1]
    assert offer["buttons"] == [] and "1. Yes, I'd like to talk to a person" in offer["text"]
    assert all(len(t) <= formatting.MESSENGER_LIMIT for t in fake_platforms.texts(psid))


def test_messenger_refuses_forged_missing_and_replayed(platform_stack, platform_env, fake_platforms):
    psid = str(pr.new_id())
    body = pr.messenger_delivery(psid, DISCLOSURE)
    raw, headers = pr.messenger_signed(body, platform_env["MESSENGER_APP_SECRET"])
    url = f"{platform_stack.rasa_url}/webhooks/facebook/webhook"
    forged = pr.messenger_signed(body, "not-the-secret")[1]
    sha1_only = {k: v for k, v in headers.items() if k != "X-Hub-Signature-256"}
    tampered = raw.replace(b"dad", b"mum")
    for raw_body, head in ((raw, forged), (raw, {"Content-Type": "application/json"}), (raw, sha1_only),
                           (tampered, headers)):
        assert http("POST", url, raw=raw_body, headers=head)[0] == 403
    assert event_count(platform_stack, psid) == 0 and fake_platforms.received(psid) == []
    assert http("POST", url, raw=raw, headers=headers)[0] == 200
    stored, sent = event_count(platform_stack, psid), len(fake_platforms.received(psid))
    assert stored > 0 and sent > 0
    assert http("POST", url, raw=raw, headers=headers)[0] == 403
    assert event_count(platform_stack, psid) == stored and len(fake_platforms.received(psid)) == sent


# ---------------------------------------------------------------- SMS and WhatsApp
def test_sms_numbered_options_and_reply_by_number(platform_stack, platform_env, fake_platforms):
    user = phone()
    assert post_twilio(platform_stack, platform_env, sms(platform_env, user, "my dad hits me"))[0] == 200
    asked = fake_platforms.received(user)
    assert "1. I'm under 19" in asked[-1]["text"] and "2. I'm an adult" in asked[-1]["text"]
    assert asked[-1]["call"]["form"]["From"] == platform_env["TWILIO_SMS_NUMBER"]
    assert asked[-1]["call"]["headers"]["Authorization"].startswith("Basic ")
    assert post_twilio(platform_stack, platform_env, sms(platform_env, user, " 1 "))[0] == 200
    texts = fake_platforms.texts(user)[len(asked):]
    assert any(CHILDLINE["phone"] in t for t in texts), texts
    assert user_texts(platform_stack, user)[-1] == '/inform_audience{"audience":"child"}'
    # answering the offer of a person with its words ("no thanks") maps to /deny
    assert post_twilio(platform_stack, platform_env, sms(platform_env, user, "No thanks"))[0] == 200
    assert user_texts(platform_stack, user)[-1] == "/deny"
    assert all(formatting.is_gsm7(t) for t in fake_platforms.texts(user))  # cheap alphabet


def test_whatsapp_through_twilio(platform_stack, platform_env, fake_platforms):
    user = "whatsapp:" + phone()
    params = pr.twilio_message(user, platform_env["TWILIO_WHATSAPP_NUMBER"], DISCLOSURE, platform_env["TWILIO_ACCOUNT_SID"])
    assert post_twilio(platform_stack, platform_env, params)[0] == 200
    received = fake_platforms.received(user)
    assert received and all(m["call"]["form"]["From"] == platform_env["TWILIO_WHATSAPP_NUMBER"] for m in received)
    assert any(CHILDLINE["phone"] in m["text"] for m in received)
    assert "1. Yes, I'd like to talk to a person" in received[-1]["text"]


def test_twilio_refuses_forged_missing_and_replayed(platform_stack, platform_env, fake_platforms):
    user = phone()
    params = sms(platform_env, user, DISCLOSURE)
    assert post_twilio(platform_stack, platform_env, params, token="f" * 32)[0] == 403
    assert post_twilio(platform_stack, platform_env, params, signature="")[0] == 403
    # signed for another address (Twilio signs the exact public URL)
    raw, headers = pr.twilio_signed(params, platform_env["TWILIO_AUTH_TOKEN"], "https://evil.example/webhooks/twilio/webhook")
    assert http("POST", f"{platform_stack.rasa_url}/webhooks/twilio/webhook", raw=raw, headers=headers)[0] == 403
    # a parameter changed after signing
    raw, headers = pr.twilio_signed(params, platform_env["TWILIO_AUTH_TOKEN"], platform_env["TWILIO_WEBHOOK_URL"])
    raw = raw.replace(b"dad", b"mum")
    assert http("POST", f"{platform_stack.rasa_url}/webhooks/twilio/webhook", raw=raw, headers=headers)[0] == 403
    assert event_count(platform_stack, user) == 0 and fake_platforms.received(user) == []
    assert post_twilio(platform_stack, platform_env, params)[0] == 200
    stored, sent = event_count(platform_stack, user), len(fake_platforms.received(user))
    assert stored > 0 and sent > 0
    assert post_twilio(platform_stack, platform_env, params)[0] == 403
    assert event_count(platform_stack, user) == stored and len(fake_platforms.received(user)) == sent


# ---------------------------------------------------------------- handoff pushes and splitting
def push(platform_stack, channel: str, sender: str, events):
    conversation = conversation_id(platform_stack, "twilio" if channel == "whatsapp" else channel, sender)
    url = (f"{platform_stack.rasa_url}/conversations/{urllib.parse.quote(conversation, safe='+:')}/tracker/events"
           f"?output_channel={channel}&execute_side_effects=true&token={platform_stack.token}")
    status, body = http("POST", url, events)
    assert status == 200, body


def say_on_platform(platform_stack, platform_env, channel: str, sender: str, text: str) -> None:
    if channel == "telegram":
        post_telegram(platform_stack, platform_env, pr.telegram_message(int(sender), text))
    elif channel == "facebook":
        post_messenger(platform_stack, platform_env, pr.messenger_delivery(sender, text))
    else:
        to = platform_env["TWILIO_WHATSAPP_NUMBER" if channel == "whatsapp" else "TWILIO_SMS_NUMBER"]
        post_twilio(platform_stack, platform_env, pr.twilio_message(sender, to, text, platform_env["TWILIO_ACCOUNT_SID"]))


def long_staff_message() -> str:
    sentence = (f"You can call Childline on {CHILDLINE['phone']} or read {CHILDLINE['web']} any time, "
                f"and adults can call {NSPCC['phone']} or write to {NSPCC['email']}. ")
    return sentence * 40  # about 7,000 characters


@pytest.mark.parametrize("channel,limit", [("telegram", formatting.TELEGRAM_LIMIT),
                                           ("facebook", formatting.MESSENGER_LIMIT),
                                           ("twilio", formatting.SMS_GSM_LIMIT),
                                           ("whatsapp", formatting.WHATSAPP_TWILIO_LIMIT)])
def test_staff_message_pushed_and_split(platform_stack, platform_env, fake_platforms, channel, limit):
    sender = {"telegram": str(pr.new_id()), "facebook": str(pr.new_id()), "twilio": phone(),
              "whatsapp": "whatsapp:" + phone()}[channel]
    # the conversation starts on the platform, then a member of staff writes
    say_on_platform(platform_stack, platform_env, channel, sender, "can i talk to a person")
    before = len(fake_platforms.received(sender))
    text = long_staff_message()
    push(platform_stack, "twilio" if channel == "whatsapp" else channel, sender, [{"event": "bot", "text": text}])
    parts = fake_platforms.texts(sender)[before:]
    assert len(parts) > 1 and all(len(p) <= limit for p in parts)
    assert " ".join(parts) == " ".join(text.split())  # nothing lost, nothing added
    for part in parts:  # every contact whole in each part that mentions it
        assert part.count(CHILDLINE["phone"]) == part.count("Childline on")
        assert part.count(CHILDLINE["web"]) == part.count(" read ")
        assert part.count(NSPCC["phone"]) == part.count("adults can call")


@pytest.mark.parametrize("channel", ["telegram", "facebook", "twilio"])
def test_handoff_states_told_in_words(platform_stack, platform_env, fake_platforms, channel):
    sender = phone() if channel == "twilio" else str(pr.new_id())
    say_on_platform(platform_stack, platform_env, channel, sender, "thanks")  # the conversation exists
    before = len(fake_platforms.texts(sender))
    queued = {"handoff": {"status": "queued", "position": 2, "wait_minutes": 5}}
    push(platform_stack, channel, sender, [{"event": "bot", "data": {"custom": queued}}])
    words = fake_platforms.texts(sender)[before:]
    assert len(words) == 1 and "number 2 in the queue" in words[0] and "about 5 minutes" in words[0]
    # with its own words in the same message, the payload is not told twice
    said = "Nobody is free right now."
    unavailable = {"handoff": {"status": "unavailable", "reason": "no_staff"}}
    push(platform_stack, channel, sender, [{"event": "bot", "text": said, "data": {"custom": unavailable}}])
    assert fake_platforms.texts(sender)[before + 1:] == [said]
    # on its own, "unavailable" is told in words with the 24-hour routes from the catalogue
    push(platform_stack, channel, sender, [{"event": "bot", "data": {"custom": unavailable}}])
    last = fake_platforms.texts(sender)[-1]
    assert "no one from our staff is free" in last and CHILDLINE["phone"] in last


def test_asking_for_a_person_by_sms_is_told_once_in_words(platform_stack, platform_env, fake_platforms):
    user = phone()
    assert post_twilio(platform_stack, platform_env, sms(platform_env, user, "can i talk to a person"))[0] == 200
    texts = fake_platforms.texts(user)
    assert texts, "no answer"
    assert len(texts) == len(set(texts)), texts  # the handoff payload did not repeat its words
    assert not any(t.lstrip().startswith("{") for t in texts)  # no raw JSON reached the phone
    assert any(formatting.handoff_text({"handoff": {"status": "queued"}})[:20] in t or "staff" in t.lower()
               or "person" in t.lower() for t in texts), texts
