"""GET /healthz: the console is up and its database answers."""
from __future__ import annotations

import asyncio

from sanic import response
from sqlalchemy import text

from handoff.console.auth import public
from handoff.db import get_engine


def _ping() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def register(app) -> None:
    @app.get("/healthz")
    @public
    async def healthz(request):
        try:
            await asyncio.to_thread(_ping)
        except Exception:
            return response.json({"status": "database unavailable"}, status=503)
        return response.json({"status": "ok"})

    @app.get("/favicon.ico")
    @public
    async def favicon(request):
        return response.empty()
