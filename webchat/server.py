"""The public chat page's small static server: ``python -m webchat.server``.

Serves, on 127.0.0.1:$WEBCHAT_PORT, only a fixed set of files (no directory is exposed):
``/`` the page, ``/neutral.html`` a plain page for the quick exit in tests, ``/catalogue.json``
the catalogue contacts the page links, ``/static/*`` its script, style and the socket.io client
from node_modules, and ``/healthz``. Every response carries the security headers below; nothing
sets a cookie; the access log is off (no addresses or paths of visitors are logged).
"""
from __future__ import annotations

import html
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Dict, Optional

from aiohttp import web

from webchat import content

HERE = Path(__file__).resolve().parent
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
logger = logging.getLogger("webchat")


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str


def security_headers(settings: content.Settings) -> Dict[str, str]:
    connect = f"'self' {settings.rasa_url} {settings.rasa_socket_url}"
    csp = "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src {connect}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "Cache-Control": "no-store",
    }


def _render(name: str, values: Dict[str, str]) -> bytes:
    template = Template((HERE / "templates" / name).read_text(encoding="utf-8"))
    return template.substitute(values).encode("utf-8")


def build_assets(settings: content.Settings) -> Dict[str, Asset]:
    """Everything the server will ever send, read and rendered once at start."""
    if not SOCKET_IO_CLIENT.is_file():
        raise content.ConfigError(
            f"{SOCKET_IO_CLIENT.relative_to(HERE.parent)} is missing: run `make install` "
            "(it runs `npm ci` in webchat/)")
    page_values = {
        "rasa_url": html.escape(settings.rasa_url, quote=True),
        "exit_url": html.escape(settings.exit_url, quote=True),
        "help_now": content.help_now_html(),
    }
    html_type = "text/html; charset=utf-8"
    static = HERE / "static"
    return {
        "/": Asset(_render("index.html", page_values), html_type),
        "/neutral.html": Asset(_render("neutral.html", {}), html_type),
        "/catalogue.json": Asset(json.dumps(content.contacts()).encode(), "application/json; charset=utf-8"),
        "/static/app.js": Asset((static / "app.js").read_bytes(), "text/javascript; charset=utf-8"),
        "/static/app.css": Asset((static / "app.css").read_bytes(), "text/css; charset=utf-8"),
        "/static/socket.io.min.js": Asset(SOCKET_IO_CLIENT.read_bytes(), "text/javascript; charset=utf-8"),
        "/healthz": Asset(b'{"status":"ok"}', "application/json"),
    }


def create_app(settings: Optional[content.Settings] = None) -> web.Application:
    settings = settings or content.Settings.from_env()
    assets = build_assets(settings)
    headers = security_headers(settings)
    app = web.Application(client_max_size=1024)

    async def serve(request: web.Request) -> web.StreamResponse:
        asset = assets[request.match_info.route.resource.canonical]
        return web.Response(body=asset.body, headers={"Content-Type": asset.content_type})

    async def no_content(request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(headers)
        response.headers.popall("Set-Cookie", None)
        response.headers["Server"] = "webchat"

    for path in assets:
        app.router.add_get(path, serve)
    app.router.add_get("/favicon.ico", no_content)
    app.on_response_prepare.append(add_headers)
    return app


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        settings = content.Settings.from_env()
        app = create_app(settings)
    except content.ConfigError as error:
        print(f"webchat: {error}", file=sys.stderr)
        return 2
    logger.info("public chat page on http://127.0.0.1:%d (Rasa at %s)", settings.port, settings.rasa_url)
    web.run_app(app, host="127.0.0.1", port=settings.port, access_log=None, print=None,
                handle_signals=True, shutdown_timeout=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
