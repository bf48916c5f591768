"""Sign-in state for the console: signed session cookies backed by server-side sessions, CSRF
tokens, and the deny-by-default guard that every route goes through.

- The session cookie holds ``<random token>.<HMAC>``; the database keeps only the token's SHA-256.
  A cookie with a bad signature is refused before any lookup.
- Every POST needs the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``);
  the sign-in form uses a signed double-submit token because there is no session yet.
- A route without ``@public`` or ``@requires(permission)`` is refused to everyone.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import secrets
import time
from typing import Callable, Optional
from urllib.parse import urlsplit

from sanic import response
from sanic.request import Request

from handoff import config, staff
from handoff.console.roles import allowed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOGIN_TOKEN_SECONDS = 2 * 3600


def secret_key() -> bytes:
    key = os.environ.get("CONSOLE_SECRET_KEY", "")
    if len(key) < 16:
        raise RuntimeError("CONSOLE_SECRET_KEY is not set (at least 16 characters): run scripts/secret_store.py or `make run`")
    return key.encode()


def cookie_name(base: str) -> str:
    return f"__Host-{base}" if config.cookie_secure() else base


SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"


def _sign(value: str) -> str:
    digest = hmac.new(secret_key(), value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def seal(value: str) -> str:
    return f"{value}.{_sign(value)}"


def unseal(sealed: Optional[str]) -> Optional[str]:
    if not sealed or len(sealed) > 400 or "." not in sealed:
        return None
    value, signature = sealed.rsplit(".", 1)
    return value if hmac.compare_digest(_sign(value), signature) else None


def set_cookie(resp, base: str, value: str, max_age: Optional[int] = None) -> None:
    name = cookie_name(base)
    resp.cookies[name] = value
    resp.cookies[name]["httponly"] = True
    resp.cookies[name]["samesite"] = "Strict"
    resp.cookies[name]["path"] = "/"
    if config.cookie_secure():
        resp.cookies[name]["secure"] = True
    if max_age is not None:
        resp.cookies[name]["max-age"] = max_age


def clear_cookie(resp, base: str) -> None:
    set_cookie(resp, base, "", max_age=0)


# ----- sign-in form token (double submit, signed, time-limited) -----
def new_login_token() -> str:
    return seal(f"{secrets.token_urlsafe(16)}:{int(time.time())}")


def login_token_ok(request: Request, submitted: Optional[str]) -> bool:
    cookie = request.cookies.get(cookie_name(LOGIN_COOKIE))
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        return False
    value = unseal(cookie)
    try:
        issued = int(value.rsplit(":", 1)[1]) if value else 0
    except (IndexError, ValueError):
        return False
    return 0 <= time.time() - issued <= LOGIN_TOKEN_SECONDS


def same_origin(request: Request) -> bool:
    """A POST with an Origin header must come from this console's own origin."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def submitted_csrf(request: Request) -> Optional[str]:
    token = request.headers.get("x-csrf-token")
    if token:
        return token
    if request.content_type.startswith("application/x-www-form-urlencoded") or \
            request.content_type.startswith("multipart/form-data"):
        try:
            return request.form.get("csrf_token")
        except Exception:  # malformed body
            return None
    return None


# ----- the guard -----
def public(handler: Callable) -> Callable:
    handler.__console_public__ = True
    return handler


def requires(permission: str) -> Callable:
    def mark(handler: Callable) -> Callable:
        handler.__console_permission__ = permission
        return handler
    return mark


def _wants_json(request: Request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def refuse(request: Request, status: int, message: str):
    if _wants_json(request):
        return response.json({"error": message}, status=status)
    if status == 401:
        return response.redirect("/login", status=303)
    return request.app.ctx.render("error.html", request, status=status, message=message)


async def guard(request: Request):
    """Request middleware: authenticate, authorise and check CSRF for every non-public route."""
    request.ctx.user = None
    request.ctx.session = None
    route = getattr(request, "route", None)
    handler = getattr(route, "handler", None)
    if handler is None or getattr(handler, "__console_public__", False) or request.path.startswith("/static/"):
        return None
    token = unseal(request.cookies.get(cookie_name(SESSION_COOKIE)))
    loaded = await asyncio.to_thread(staff.load_session, token) if token else None
    if loaded is None:
        return refuse(request, 401, "Please sign in.")
    session, user = loaded
    permission = getattr(handler, "__console_permission__", None)
    if permission is None or not allowed(user["role"], permission):
        return refuse(request, 403, "Your role does not allow this page.")
    if request.method not in SAFE_METHODS:
        submitted = submitted_csrf(request)
        if not same_origin(request) or not submitted or not hmac.compare_digest(submitted, session["csrf_token"]):
            return refuse(request, 403, "Missing or wrong security token. Reload the page and try again.")
    request.ctx.user, request.ctx.session = user, session
    if user["role"] == "agent" and (user["last_seen_at"] or 0) < time.time() - 10:
        await asyncio.to_thread(staff.touch, user["id"])
    return None

