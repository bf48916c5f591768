"""Through the real server (SQLite): identifiers never reach the stored rows; routes are unchanged."""
from __future__ import annotations

import sqlite3

from tests.redaction.helpers import CONVERSATION_WITH, FORBIDDEN, routes_in, stored_rows_text
from tests.support import RestUser


def _rows(stack, sender):
    with sqlite3.connect(stack.state_dir / "rasa.db") as db:
        return db.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events "
                          "WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()


def test_planted_identifiers_never_stored_in_sqlite(stack):
    user = RestUser(stack.rasa_url)
    for text in CONVERSATION_WITH:
        user.say(text)
    rows = _rows(stack, user.sender)
    assert len([r for r in rows if r[1] == "user"]) == len(CONVERSATION_WITH)
    stored = stored_rows_text(rows)
    leaked = [word for word in FORBIDDEN if word in stored]
    assert not leaked, leaked
    for placeholder in ("<name>", "<phone>", "<email>", "<postcode>", "<address>", "<school>", "<nhs_number>",
                        "<ni_number>", "<date_of_birth>", "<handle>", "<url>"):
        assert placeholder in stored, placeholder
    # what moderators need is still there: intents, the age entity, the routes given
    assert any(r[2] == "disclose_abuse" for r in rows)
    assert '"entity": "age", "value": "12"' in stored
    assert any(r[3] == "utter_route_childline" or "utter_route_childline" in (r[4] or "") for r in rows)


def test_same_routes_with_and_without_identifiers(stack):
    pairs = [
        (["my name is Jess Whitfield and someone at home is hurting me", "im 12"],
         ["someone at home is hurting me", "im 12"]),
        (["hi im called Sam", "my dad hits me, i live at 14 Elm Road", "im 14"],
         ["hi", "my dad hits me", "im 14"]),
        (["this is Sarah speaking, someone is hurting me right now"], ["someone is hurting me right now"]),
    ]
    for with_ids, without in pairs:
        first, second = RestUser(stack.rasa_url), RestUser(stack.rasa_url)
        got_with = [routes_in(first.say(text)) for text in with_ids]
        got_without = [routes_in(second.say(text)) for text in without]
        assert got_with == got_without, (with_ids, got_with, got_without)
        assert any(got_with), with_ids  # the conversation did reach a route


def test_rasa_log_has_no_user_text(stack):
    user = RestUser(stack.rasa_url)
    user.say("my name is Jess Whitfield, call 07700 900123")
    log = (stack.state_dir / "logs" / "rasa.log").read_text(errors="replace").lower()
    assert "whitfield" not in log and "900123" not in log
    assert "tracker store check passed: redactingsqltrackerstore" in log
