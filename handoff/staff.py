"""Staff accounts (argon2id password hashes), roles, presence, sessions and sign-in throttling."""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from typing import Any, Dict, List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from handoff import config
from handoff.db import failures_table as f, get_engine, sessions_table as s, users_table as u

ROLES = ("agent", "moderator", "admin")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

SESSION_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 12 * 3600
FAILURE_WINDOW = 15 * 60
FREE_FAILURES = 3          # failures allowed before sign-in is slowed down
MAX_DELAY = 300            # seconds

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    pass


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_new_account(username: str, password: str, role: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise AccountError("username: 2-64 characters, letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of: {', '.join(ROLES)}")
    if not isinstance(password, str) or not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        raise AccountError(f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    if password.strip() != password or len(set(password)) < 4:
        raise AccountError("password is too weak (no leading/trailing spaces, at least 4 different characters)")
    return name


def create_user(username: str, password: str, role: str, engine: Optional[Engine] = None) -> Dict[str, Any]:
    name = check_new_account(username, password, role)
    engine = engine or get_engine()
    with engine.begin() as conn:
        if conn.execute(select(u.c.id).where(u.c.username == name)).first() is not None:
            raise AccountError(f"user {name!r} already exists")
        conn.execute(u.insert().values(username=name, password_hash=_hasher.hash(password), role=role,
                                       active=True, available=False, created_at=time.time()))
    return get_user(name, engine)


def set_password(username: str, password: str, engine: Optional[Engine] = None) -> None:
    user = get_user(username, engine)
    if user is None:
        raise AccountError("no such user")
    check_new_account(user["username"], password, user["role"])
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(update(u).where(u.c.id == user["id"]).values(password_hash=_hasher.hash(password)))
        conn.execute(s.delete().where(s.c.user_id == user["id"]))


def get_user(username: str, engine: Optional[Engine] = None) -> Optional[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        row = conn.execute(select(u).where(u.c.username == normalise_username(username))).first()
    return dict(row._mapping) if row else None


def list_users(engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    engine = engine or get_engine()
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(u).order_by(u.c.username)).all()]


def set_active(user_id: int, active: bool, engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(update(u).where(u.c.id == user_id).values(active=active, available=False if not active else u.c.available))
        if not active:
            conn.execute(s.delete().where(s.c.user_id == user_id))


# ----- sign-in throttling -----
def _delay_for(count: int, free: int = FREE_FAILURES) -> float:
    return 0.0 if count < free else float(min(MAX_DELAY, 2 ** (count - free)))


def retry_after(keys: List[str], now: Optional[float] = None, engine: Optional[Engine] = None,
                free: int = FREE_FAILURES) -> float:
    """Seconds to wait before another sign-in attempt for any of ``keys`` is accepted (0: now)."""
    engine = engine or get_engine()
    now = time.time() if now is None else now
    wait = 0.0
    with engine.connect() as conn:
        for row in conn.execute(select(f).where(f.c.key.in_(keys))).all():
            if now - row.first_at > FAILURE_WINDOW:
                continue
            wait = max(wait, row.last_at + _delay_for(row.count, free) - now)
    return max(0.0, wait)


def record_failure(keys: List[str], now: Optional[float] = None, engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    now = time.time() if now is None else now
    with engine.begin() as conn:
        for key in keys:
            row = conn.execute(select(f).where(f.c.key == key)).first()
            if row is None:
                conn.execute(f.insert().values(key=key, count=1, first_at=now, last_at=now))
            elif now - row.first_at > FAILURE_WINDOW:
                conn.execute(update(f).where(f.c.key == key).values(count=1, first_at=now, last_at=now))
            else:
                conn.execute(update(f).where(f.c.key == key).values(count=row.count + 1, last_at=now))


def clear_failures(keys: List[str], engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(f.delete().where(f.c.key.in_(keys)))


def verify_password(username: str, password: str, engine: Optional[Engine] = None) -> Optional[Dict[str, Any]]:
    """The active user if the password is right, else None. Takes the same time for unknown users."""
    user = get_user(username, engine) if isinstance(username, str) and len(username) <= 64 else None
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        password = ""
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user["active"]:
        return None
    if _hasher.check_needs_rehash(user["password_hash"]):
        engine = engine or get_engine()
        with engine.begin() as conn:
            conn.execute(update(u).where(u.c.id == user["id"]).values(password_hash=_hasher.hash(password)))
    return user


# ----- sessions (server side; the cookie holds a random token, the table its SHA-256) -----
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(user_id: int, engine: Optional[Engine] = None) -> Tuple[str, str]:
    """(token for the cookie, CSRF token)."""
    engine = engine or get_engine()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    with engine.begin() as conn:
        conn.execute(s.insert().values(token_hash=_hash_token(token), user_id=user_id, csrf_token=csrf,
                                       created_at=now, last_seen_at=now))
    return token, csrf


def load_session(token: str, engine: Optional[Engine] = None) -> Optional[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """(session, user) for a live session, touching it; None when unknown, expired or the user is disabled."""
    if not token or len(token) > 200:
        return None
    engine = engine or get_engine()
    now = time.time()
    key = _hash_token(token)
    with engine.begin() as conn:
        row = conn.execute(select(s).where(s.c.token_hash == key)).first()
        if row is None:
            return None
        if now - row.last_seen_at > SESSION_IDLE_SECONDS or now - row.created_at > SESSION_MAX_SECONDS:
            conn.execute(s.delete().where(s.c.token_hash == key))
            return None
        user = conn.execute(select(u).where(u.c.id == row.user_id)).first()
        if user is None or not user.active:
            return None
        if now - row.last_seen_at > 5:
            conn.execute(update(s).where(s.c.token_hash == key).values(last_seen_at=now))
    return dict(row._mapping), dict(user._mapping)


def delete_session(token: str, engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(s.delete().where(s.c.token_hash == _hash_token(token)))


def user_has_sessions(user_id: int, engine: Optional[Engine] = None) -> bool:
    engine = engine or get_engine()
    with engine.connect() as conn:
        return conn.execute(select(s.c.token_hash).where(s.c.user_id == user_id).limit(1)).first() is not None


# ----- presence: who can take a conversation now -----
def set_available(user_id: int, available: bool, engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(update(u).where(u.c.id == user_id).values(available=available, last_seen_at=time.time()))


def touch(user_id: int, engine: Optional[Engine] = None) -> None:
    engine = engine or get_engine()
    with engine.begin() as conn:
        conn.execute(update(u).where(u.c.id == user_id).values(last_seen_at=time.time()))


def present_agents(now: Optional[float] = None, engine: Optional[Engine] = None) -> int:
    """Agents who are active, marked available, signed in, and whose console was seen recently."""
    engine = engine or get_engine()
    now = time.time() if now is None else now
    since = now - config.presence_seconds()
    with engine.connect() as conn:
        rows = conn.execute(select(u.c.id).where(u.c.role == "agent", u.c.active.is_(True),
                                                 u.c.available.is_(True), u.c.last_seen_at >= since)).all()
        live = 0
        for row in rows:
            if conn.execute(select(s.c.token_hash).where(s.c.user_id == row.id,
                                                          s.c.last_seen_at >= now - SESSION_IDLE_SECONDS)
                            .limit(1)).first() is not None:
                live += 1
    return live
