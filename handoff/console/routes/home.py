"""GET /: where each role starts (the navigation lists only what the role may use)."""
from __future__ import annotations

from handoff.console.auth import requires


def register(app) -> None:
    @app.get("/")
    @requires("home")
    async def home(request):
        return app.ctx.render("home.html", request)
