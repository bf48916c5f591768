"""Sign in and sign out. Failed attempts are counted per username and per address; after a few,
each further attempt must wait longer (HTTP 429 with Retry-After), even with the right password."""
from __future__ import annotations

import asyncio
import logging
import math

from sanic import response

from handoff import audit, staff
from handoff.console import auth
from handoff.console.auth import public, requires

logger = logging.getLogger(__name__)
IP_FREE_FAILURES = 30  # an address gets more slack than a username (many staff behind one proxy)


def _keys(request, username: str):
    return [f"user:{username}"[:160]]  # throttled per username; the address only after many failures


def _ip_key(request):
    return f"ip:{request.ip}"[:160]


def register(app) -> None:
    def form(request, status=200, error=None, username=""):
        token = auth.new_login_token()
        resp = app.ctx.render("login.html", request, status=status, error=error, username=username,
                              login_token=token)
        auth.set_cookie(resp, auth.LOGIN_COOKIE, token, max_age=auth.LOGIN_TOKEN_SECONDS)
        return resp

    @app.get("/login")
    @public
    async def login_page(request):
        return form(request)

    @app.post("/login")
    @public
    async def login(request):
        try:
            fields = request.form
        except Exception:
            fields = {}
        username = staff.normalise_username((fields.get("username") or "")[:200]) if fields else ""
        password = (fields.get("password") or "") if fields else ""
        if not auth.same_origin(request) or not auth.login_token_ok(request, fields.get("csrf_token") if fields else None):
            return form(request, 403, "The form expired or was not sent from this page. Please try again.", username)
        keys = _keys(request, username)
        wait = max(await asyncio.to_thread(staff.retry_after, keys),
                   await asyncio.to_thread(staff.retry_after, [_ip_key(request)], None, None, IP_FREE_FAILURES))
        if wait > 0:
            resp = form(request, 429, f"Too many failed attempts. Try again in {math.ceil(wait)} seconds.", username)
            resp.headers["Retry-After"] = str(math.ceil(wait))
            return resp
        user = await asyncio.to_thread(staff.verify_password, username, password)
        if user is None:
            await asyncio.to_thread(staff.record_failure, keys + [_ip_key(request)])
            logger.warning("failed console sign-in")
            return form(request, 401, "Wrong username or password.", username)
        await asyncio.to_thread(staff.clear_failures, keys)
        token, _csrf = await asyncio.to_thread(staff.create_session, user["id"])
        if user["role"] == "agent":
            await asyncio.to_thread(staff.set_available, user["id"], True)
        await asyncio.to_thread(audit.record, user["username"], "sign_in")
        resp = response.redirect("/", status=303)
        auth.set_cookie(resp, auth.SESSION_COOKIE, auth.seal(token))
        auth.clear_cookie(resp, auth.LOGIN_COOKIE)
        return resp

    @app.post("/logout")
    @requires("home")
    async def logout(request):
        user = request.ctx.user
        token = auth.unseal(request.cookies.get(auth.cookie_name(auth.SESSION_COOKIE)))
        await asyncio.to_thread(staff.delete_session, token)
        if user["role"] == "agent" and not await asyncio.to_thread(staff.user_has_sessions, user["id"]):
            await asyncio.to_thread(staff.set_available, user["id"], False)
        await asyncio.to_thread(audit.record, user["username"], "sign_out")
        resp = response.redirect("/login", status=303)
        auth.clear_cookie(resp, auth.SESSION_COOKIE)
        return resp
