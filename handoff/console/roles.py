"""Roles and what each may do. Every route names the permission it needs (deny by default).

To add an area (e.g. the moderators' log review): write a module in ``handoff/console/routes/``
with a ``register(app)`` function, protect its handlers with ``@requires("review")``, add it
to ``routes.AREAS`` and give it a NAV entry below.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, List, Tuple

PERMISSIONS: Dict[str, FrozenSet[str]] = {
    "agent": frozenset({"home", "conversations"}),
    "moderator": frozenset({"home", "review"}),
    "admin": frozenset({"home", "accounts", "settings", "audit"}),
}

# (permission, label, url) for the navigation bar; shown only to roles that have the permission.
NAV: List[Tuple[str, str, str]] = [
    ("conversations", "Queue", "/queue"),
    ("review", "Conversation logs", "/moderation"),
    ("accounts", "Accounts", "/admin/users"),
    ("settings", "Opening hours", "/admin/settings"),
    ("audit", "Audit log", "/admin/audit"),
]


def allowed(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())


def nav_for(role: str) -> List[Tuple[str, str]]:
    return [(label, url) for permission, label, url in NAV if allowed(role, permission)]
