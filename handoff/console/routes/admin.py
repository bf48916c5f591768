"""The admins' area: accounts (create, disable, enable), opening hours, the audit log."""
from __future__ import annotations

import asyncio
import datetime as dt

from sanic import response

from handoff import audit, availability, hours, settings, staff
from handoff.console.auth import requires


def _when(seconds) -> str:
    if not seconds:
        return ""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def register(app) -> None:
    def fields(request):
        try:
            return request.form
        except Exception:
            return {}

    async def users_page(request, status=200, error=None, notice=None):
        users = await asyncio.to_thread(staff.list_users)
        return app.ctx.render("admin_users.html", request, status=status, users=users, roles=staff.ROLES,
                              error=error, notice=notice, when=_when)

    @app.get("/admin/users")
    @requires("accounts")
    async def list_users(request):
        return await users_page(request)

    @app.post("/admin/users")
    @requires("accounts")
    async def create_user(request):
        form = fields(request)
        username, password, role = (form.get("username") or ""), (form.get("password") or ""), (form.get("role") or "")
        try:
            created = await asyncio.to_thread(staff.create_user, username, password, role)
        except staff.AccountError as error:
            return await users_page(request, 400, error=str(error))
        await asyncio.to_thread(audit.record, request.ctx.user["username"], "create_user", None,
                                f"{created['username']} ({created['role']})")
        return await users_page(request, notice=f"Created {created['username']}.")

    @app.post("/admin/users/<user_id:int>/active")
    @requires("accounts")
    async def set_active(request, user_id):
        active = fields(request).get("active") == "1"
        if user_id == request.ctx.user["id"] and not active:
            return await users_page(request, 400, error="You cannot disable your own account.")
        await asyncio.to_thread(staff.set_active, user_id, active)
        await asyncio.to_thread(audit.record, request.ctx.user["username"], "enable_user" if active else "disable_user",
                                None, f"user id {user_id}")
        return response.redirect("/admin/users", status=303)

    async def settings_page(request, status=200, error=None, notice=None):
        stored = await asyncio.to_thread(settings.get, settings.HOURS)
        current = await asyncio.to_thread(availability.hours_spec)
        return app.ctx.render("admin_settings.html", request, status=status, stored=stored, current=current,
                              open_now=hours.is_open(current), error=error, notice=notice)

    @app.get("/admin/settings")
    @requires("settings")
    async def show_settings(request):
        return await settings_page(request)

    @app.post("/admin/settings")
    @requires("settings")
    async def save_settings(request):
        spec = (fields(request).get("hours") or "").strip()
        if spec:
            try:
                hours.parse(spec)
            except hours.HoursError as error:
                return await settings_page(request, 400, error=str(error))
        await asyncio.to_thread(settings.put, settings.HOURS, spec or None)
        await asyncio.to_thread(audit.record, request.ctx.user["username"], "set_hours", None, spec or "(default)")
        return await settings_page(request, notice="Saved.")

    @app.get("/admin/audit")
    @requires("audit")
    async def audit_log(request):
        rows = await asyncio.to_thread(audit.recent, 200)
        return app.ctx.render("admin_audit.html", request, rows=rows, when=_when)
