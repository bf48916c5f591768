"""The console refuses anyone not signed in or in the wrong role, wrong passwords, missing CSRF tokens
and forged cookies; sign-in is slowed after failures; one agent cannot act on another's claim."""
from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

from handoff import staff
from handoff.db import get_engine
from tests.handoff.clients import ROOT, ConsoleClient, create_account

CID = "someone-" + secrets.token_hex(4)
PAGES = {  # path -> roles allowed
    "/": {"agent", "moderator", "admin"},
    "/queue": {"agent"},
    f"/conversations/{CID}": {"agent"},
    "/admin/users": {"admin"},
    "/admin/settings": {"admin"},
    "/admin/audit": {"admin"},
}
APIS = [("GET", "/api/queue"), ("GET", "/api/queue/stream"), ("POST", "/api/availability"),
        ("POST", f"/api/conversations/{CID}/claim"), ("POST", f"/api/conversations/{CID}/messages"),
        ("POST", f"/api/conversations/{CID}/end"), ("GET", f"/api/conversations/{CID}/messages"),
        ("GET", f"/api/conversations/{CID}/stream")]
FORMS = ["/logout", "/admin/users", "/admin/users/1/active", "/admin/settings"]


def test_anonymous_is_refused_everywhere(console_url):
    anonymous = ConsoleClient(console_url)
    for path in PAGES:
        response = anonymous.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/login", path
    for method, path in APIS:
        assert anonymous.request(method, path, timeout=5, stream=True).status_code == 401, path
    for path in FORMS:
        assert anonymous.request("POST", path, data={"csrf_token": "x"}).status_code in (303, 401), path
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/login").status_code == 200


@pytest.mark.parametrize("role", ["agent", "moderator", "admin"])
def test_every_page_and_api_checks_the_role(signed_in, role):
    client = signed_in(role)
    for path, allowed in PAGES.items():
        status = client.get(path).status_code
        if role in allowed:
            assert status in (200, 404), (role, path, status)  # 404: that conversation is not queued
        else:
            assert status == 403, (role, path, status)
    for method, path in APIS:
        response = client.request(method, path, headers={"X-CSRF-Token": client.csrf,
                                                         "Content-Type": "application/json"}, data="{}", timeout=5, stream=True)
        if role == "agent":
            assert response.status_code in (200, 400, 404, 409), (path, response.status_code)
        else:
            assert response.status_code == 403, (role, path, response.status_code)
        response.close()
    if role != "admin":
        for path in FORMS[1:]:
            assert client.request("POST", path, data={"csrf_token": client.csrf}).status_code == 403


def test_session_cookie_is_secure_httponly_samesite(stack, console_url):
    username, password = create_account(stack, "agent")
    client = ConsoleClient(console_url)
    page = client.get("/login")
    response = client.request("POST", "/login", data={"csrf_token": client.hidden_token(page.text),
                                                      "username": username, "password": password})
    cookie = [h for h in response.raw.headers.getlist("Set-Cookie") if h.startswith("__Host-console_session=")]
    assert cookie, response.raw.headers.getlist("Set-Cookie")
    flags = cookie[0].lower()
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "domain=" not in flags
    client.refresh_csrf()
    client.logout()


def test_wrong_passwords_and_throttling(stack, console_url):
    username, password = create_account(stack, "agent")
    client = ConsoleClient(console_url)
    assert client.login(username, password + "x", expect=401).status_code == 401
    assert "__Host-console_session" not in client.cookies
    assert client.login("nobody-" + secrets.token_hex(3), password, expect=401).status_code == 401
    assert client.login(username, "", expect=401).status_code == 401
    # a third failure: from now on each attempt must wait, even with the right password
    client.login(username, "wrong password!!", expect=401)
    slowed = client.login(username, password, expect=429)
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "__Host-console_session" not in client.cookies
    # another account is not affected
    other, other_password = create_account(stack, "agent")
    unaffected = ConsoleClient(console_url)
    unaffected.login(other, other_password)
    unaffected.logout()  # signed out agents are not "available" for the other tests


def test_hostile_sign_in_input_is_refused_cleanly(console_url):
    client = ConsoleClient(console_url)
    token = client.hidden_token(client.get("/login").text)
    for fields in ({"username": "x" * 5000, "password": "y"}, {"username": "' OR 1=1 --", "password": "' OR 1=1 --"},
                   {"username": "<script>alert(1)</script>", "password": "\u0000\u202e"}, {}):
        response = client.request("POST", "/login", data={"csrf_token": token, **fields})
        assert response.status_code in (401, 429), response.status_code
        assert "<script>alert(1)</script>" not in response.text
        token = client.hidden_token(response.text)  # each answer carries a fresh form token
    assert client.request("POST", "/login", data=b"\xff\xfe\x00binary",
                          headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 403
    assert client.request("POST", "/login", data="x" * 200_000).status_code == 413


def test_csrf_is_required(stack, console_url, signed_in):
    agent = signed_in("agent")
    assert agent.post_json("/api/availability", {"available": True}, csrf=False).status_code == 403
    assert agent.post_json("/api/availability", {"available": True}, csrf=False,
                           headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert agent.request("POST", "/logout", data={}).status_code == 403
    cross = agent.request("POST", "/api/availability", data='{"available": true}',
                          headers={"X-CSRF-Token": agent.csrf, "Origin": "https://evil.example",
                                   "Content-Type": "application/json"})
    assert cross.status_code == 403
    assert agent.post_json("/api/availability", {"available": True}).status_code == 200
    # the sign-in form needs its own token too
    username, password = create_account(stack, "agent")
    fresh = ConsoleClient(console_url)
    fresh.get("/login")
    assert fresh.request("POST", "/login", data={"username": username, "password": password}).status_code == 403
    assert fresh.request("POST", "/login", data={"csrf_token": "forged.token", "username": username,
                                                 "password": password}).status_code == 403


def test_forged_and_stale_session_cookies_are_refused(console_url, signed_in):
    agent = signed_in("agent")
    real = agent.cookies["__Host-console_session"]
    token, signature = real.rsplit(".", 1)
    forgeries = [secrets.token_urlsafe(32) + "." + signature, token + "." + secrets.token_urlsafe(32),
                 token, "", "a" * 5000, real[:-1] + ("A" if real[-1] != "A" else "B")]
    for forged in forgeries:
        intruder = ConsoleClient(console_url)
        intruder.cookies["__Host-console_session"] = forged
        assert intruder.get("/api/queue").status_code == 401, forged[:20]
        assert intruder.get("/queue").status_code == 303
    # after signing out, the old cookie is dead
    copy = ConsoleClient(console_url)
    copy.cookies = dict(agent.cookies)
    assert copy.get("/api/queue").status_code == 200
    agent.logout()
    assert copy.get("/api/queue").status_code == 401


def test_an_agent_cannot_act_on_another_agents_claim(signed_in, users):
    first, second = signed_in("agent"), signed_in("agent")
    user = users()
    user.say("/request_human")
    user.wait_handoff("queued")
    first.wait_until(lambda: user.session_id in first.waiting_ids())
    assert first.claim(user.session_id).status_code == 200
    assert second.claim(user.session_id).status_code == 409
    assert second.send(user.session_id, "hello from the wrong person").status_code == 403
    assert second.end(user.session_id).status_code == 403
    assert second.messages(user.session_id).status_code == 403
    assert second.get(f"/conversations/{user.session_id}").status_code == 403
    assert user.session_id not in second.waiting_ids()
    # bad messages from the right agent get clear errors, not crashes
    assert first.send(user.session_id, "   ").status_code == 400
    assert first.send(user.session_id, "x" * 2001).status_code == 413
    assert first.request("POST", f"/api/conversations/{user.session_id}/messages", data=b"\xff{not json",
                         headers={"X-CSRF-Token": first.csrf, "Content-Type": "application/json"}).status_code == 400
    assert first.post_json(f"/api/conversations/{'z' * 300}/claim").status_code == 404
    hostile = "<img src=x onerror=alert(1)> ünïcødé 你好"
    assert first.send(user.session_id, hostile).status_code == 200
    user.wait_for(lambda m: m.get("text") == hostile, timeout=5)
    assert first.end(user.session_id).status_code == 200


def test_accounts_cli_has_no_default_password(stack):
    env = stack.env()
    name = "cli-" + secrets.token_hex(3)

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "handoff.console", *args], input=stdin, text=True,
                              capture_output=True, env=env, cwd=ROOT, timeout=60)

    assert run("create-user", "--username", name, "--role", "agent", "--password-stdin", stdin="\n").returncode == 1
    assert run("create-user", "--username", name, "--role", "agent", "--password-stdin", stdin="short\n").returncode == 1
    assert run("create-user", "--username", name, "--role", "boss", "--password-stdin",
               stdin="long enough password\n").returncode == 2
    assert run("create-user", "--username", name, "--role", "agent").returncode != 0  # no terminal, no password
    assert staff.get_user(name, get_engine(env["SAFEGUARD_DB_URL"])) is None
    assert run("create-user", "--username", name, "--role", "agent", "--password-stdin",
               stdin="long enough password\n").returncode == 0
    stored = staff.get_user(name, get_engine(env["SAFEGUARD_DB_URL"]))
    assert stored["password_hash"].startswith("$argon2id$") and "long enough" not in stored["password_hash"]
    assert run("create-user", "--username", name, "--role", "agent", "--password-stdin",
               stdin="another long password\n").returncode == 1  # already exists
