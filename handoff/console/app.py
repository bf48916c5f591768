"""The staff console web app (Sanic): pages rendered with Jinja2 (autoescaped), static JS/CSS
served from ``static/``, strict security headers, and the guard from ``auth`` on every route."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request

from handoff import config
from handoff.console import auth, routes
from handoff.console.roles import nav_for
from handoff.rasa_client import RasaClient

HERE = Path(__file__).resolve().parent
logger = logging.getLogger(__name__)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make browsers send `Origin: null` on our own forms
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def load_responses() -> Dict[str, str]:
    """The console's wording for the user comes from domain.yml, like the assistant's."""
    with (config.ROOT / "domain.yml").open(encoding="utf-8") as handle:
        domain = yaml.safe_load(handle)
    return {name: variants[0]["text"] for name, variants in (domain.get("responses") or {}).items()
            if name.startswith("utter_handoff_") and variants and variants[0].get("text")}


def create_app(name: str = "handoff_console") -> Sanic:
    auth.secret_key()  # refuse to start without a secret
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 2.0
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.responses = load_responses()
    templates = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                            autoescape=select_autoescape(["html"], default=True))

    def render(template: str, request: Request, status: int = 200, **context: Any):
        user = getattr(request.ctx, "user", None)
        session = getattr(request.ctx, "session", None)
        page = templates.get_template(template).render(
            user=user, nav=nav_for(user["role"]) if user else [],
            csrf_token=session["csrf_token"] if session else "", **context)
        return response.html(page, status=status)

    app.ctx.render = render
    app.static("/static", str(HERE / "static"), name="static")
    app.register_middleware(auth.guard, "request")

    @app.middleware("response")
    async def security_headers(request: Request, resp) -> None:
        for header, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(header, value)
        if request.path.startswith("/static/"):
            resp.headers["Cache-Control"] = "private, max-age=300"

    @app.listener("before_server_start")
    async def start_client(app_, _loop) -> None:
        app_.ctx.rasa = RasaClient()

    @app.listener("after_server_stop")
    async def stop_client(app_, _loop) -> None:
        await app_.ctx.rasa.close()

    for area in routes.AREAS:
        area.register(app)
    return app
