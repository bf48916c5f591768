"""The moderators' console through the running stack: roles on every page and export, hostile
filter values, the audit trail, review/tag/note, and exports holding only redacted text."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa

from tests.handoff.clients import ConsoleClient
from tests.moderation.conftest import IDENTIFIERS, SCRIPT, events_count


def pages(conversation_id: str):
    cid = quote(conversation_id, safe="")
    return [("GET", "/moderation"), ("GET", "/moderation?flag=danger"),
            ("GET", f"/moderation/conversations/{cid}"),
            ("GET", "/moderation/export.csv"), ("GET", "/moderation/export.jsonl"),
            ("POST", f"/moderation/conversations/{cid}/reviewed"), ("POST", f"/moderation/conversations/{cid}/tags"),
            ("POST", f"/moderation/conversations/{cid}/notes")]


def form_post(client: ConsoleClient, path: str, data: dict, csrf: bool = True):
    body = {**data, **({"csrf_token": client.csrf} if csrf and client.csrf else {})}
    return client.request("POST", path, data=body)


def test_anonymous_is_sent_to_sign_in(console_url, played):
    anonymous = ConsoleClient(console_url)
    for method, path in pages(played["script"]):
        response = anonymous.request(method, path, data={"tag": "x"} if method == "POST" else None)
        assert response.status_code == 303 and response.headers["location"] == "/login", (method, path)
        json_response = anonymous.request(method, path, headers={"Accept": "application/json"})
        assert json_response.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_other_roles_are_refused(signed_in, played, role):
    client = signed_in(role)
    for method, path in pages(played["script"]):
        if method == "GET":
            response = client.get(path)
        else:
            response = form_post(client, path, {"reviewed": "1", "tag": "x", "text": "x"})
        assert response.status_code == 403, (role, method, path, response.status_code)
        assert "window.__pwned" not in response.text
    assert "/moderation" not in client.get("/").text  # no navigation entry either


def test_moderator_reads_lists_and_exports(signed_in, played):
    moderator = signed_in("moderator")
    home = moderator.get("/")
    assert 'href="/moderation"' in home.text
    for method, path in pages(played["script"]):
        if method == "GET":
            response = moderator.get(path)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
    listing = moderator.get("/moderation")
    assert played["script"] in listing.text and played["formula"] in listing.text


def test_forms_need_the_csrf_token(signed_in, played):
    moderator = signed_in("moderator")
    path = f"/moderation/conversations/{played['script']}/reviewed"
    assert form_post(moderator, path, {"reviewed": "1"}, csrf=False).status_code == 403
    other_site = moderator.request("POST", path, data={"reviewed": "1", "csrf_token": moderator.csrf},
                                   headers={"Origin": "http://evil.example"})
    assert other_site.status_code == 403


def test_review_tag_note(signed_in, played, db):
    moderator = signed_in("moderator")
    cid = played["script"]
    base = f"/moderation/conversations/{cid}"
    assert form_post(moderator, base + "/reviewed", {"reviewed": "1"}).status_code == 303
    assert form_post(moderator, base + "/tags", {"tag": "Wrong route"}).status_code == 303
    assert form_post(moderator, base + "/tags", {"tag": "<b>bad</b>"}).status_code == 400
    assert form_post(moderator, base + "/notes", {"text": "follow up, she gave 07700 900999"}).status_code == 303
    assert form_post(moderator, base + "/notes", {"text": ""}).status_code == 400
    assert form_post(moderator, "/moderation/conversations/no-such-conversation/notes", {"text": "x"}).status_code == 404
    view = moderator.get(base)
    assert "Reviewed by" in view.text and moderator.username in view.text and "wrong route" in view.text
    assert "07700 900999" not in view.text and "&lt;PHONE&gt;" in view.text
    reviewed = moderator.get("/moderation?" + urlencode({"reviewed": "yes", "tag": "wrong route"})).text
    assert cid in reviewed and played["formula"] not in reviewed
    with db.connect() as conn:
        notes = conn.execute(sa.text("SELECT text FROM moderation_notes WHERE conversation_id = :c"), {"c": cid}).scalars().all()
    assert notes and all("07700" not in n for n in notes)


HOSTILE = ["'; DROP TABLE events; --", "' OR '1'='1", SCRIPT, "\"><img src=x onerror=alert(1)>", "%", "_%_",
           "\\", "😀 ünïcødé", "x" * 3000, "2024-02-30", "eyJhIjoxfQ", "-1"]


@pytest.mark.parametrize("name", ["from", "to", "audience", "flag", "route", "reviewed", "tag", "q", "after"])
def test_hostile_filter_values_are_harmless(signed_in, played, db, name):
    moderator = signed_in("moderator")
    before = events_count(db)
    for value in HOSTILE:
        for path in ("/moderation", "/moderation/export.jsonl"):
            response = moderator.get(path + "?" + urlencode({name: value}))
            assert response.status_code in (200, 400), (name, value, response.status_code)
            if path == "/moderation":
                assert "<img src=x" not in response.text and "<script>window" not in response.text
    assert events_count(db) == before
    with db.connect() as conn:  # every table still there
        for table in ("events", "staff_users", "staff_audit", "moderation_conversations"):
            conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1"))


def test_exports_hold_only_redacted_text(signed_in, played, db):
    moderator = signed_in("moderator")
    csv_text = moderator.get("/moderation/export.csv").text
    jsonl = moderator.get("/moderation/export.jsonl").text
    lines = [json.loads(line) for line in jsonl.splitlines() if line]
    mine = next(l for l in lines if l["conversation_id"] == played["script"])
    user_texts = [m["text"] for m in mine["messages"] if m["from"] == "user"]
    assert user_texts[0] == SCRIPT or "<script>" in user_texts[0]
    joined = json.dumps(mine) + csv_text
    for identifier in IDENTIFIERS:
        assert identifier not in joined
    assert "<PHONE>" in joined and "<EMAIL>" in joined
    assert all(m.get("intent") for m in mine["messages"] if m["from"] == "user")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][0] == "conversation_id"
    formula_cells = [row[10] for row in rows[1:] if row[0] == played["formula"] and row[9] == "user"]
    assert formula_cells and formula_cells[0].startswith("'=")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # what was exported is what is stored: the stored rows hold no identifier either
    with db.connect() as conn:
        stored = " ".join(conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"),
                                       {"s": played["script"]}).scalars())
    for identifier in IDENTIFIERS:
        assert identifier not in stored


def test_audit_log_records_views_and_exports(signed_in, played, db):
    moderator = signed_in("moderator")
    moderator.get("/moderation?" + urlencode({"flag": "danger", "q": "hits me"}))
    moderator.get(f"/moderation/conversations/{played['formula']}")
    moderator.get("/moderation/export.csv?audience=child")
    moderator.get("/moderation/export.jsonl")
    with db.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, conversation_id, detail FROM staff_audit WHERE actor = :a ORDER BY id"),
                            {"a": moderator.username}).all()
    rows = [r for r in rows if r.action.startswith("review_")]
    actions = [r.action for r in rows]
    assert actions[:4] == ["review_list", "review_view", "review_export", "review_export"], actions
    assert rows[0].detail == "flag=danger; search (7 characters)"  # filters, never the search words
    assert rows[1].conversation_id == played["formula"]
    assert rows[2].detail.startswith("csv: audience=child") and rows[3].detail.startswith("jsonl")
    admin = signed_in("admin")
    page = admin.get("/admin/audit")
    assert page.status_code == 200 and moderator.username in page.text and "review_export" in page.text
    # nobody can change the log from the console
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = admin.request(method, "/admin/audit", data={"csrf_token": admin.csrf})
        assert response.status_code in (403, 404, 405), method
    assert moderator.get("/admin/audit").status_code == 403
