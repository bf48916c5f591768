"""The running page server (started by the `stack` fixture): headers, routes, content."""
from __future__ import annotations

import json
import re
import urllib.request

import pytest

from service_catalogue import digits, service
from tests.support import http
from webchat import content
from webchat.server import SOCKET_IO_CLIENT

PATHS = ["/", "/neutral.html", "/catalogue.json", "/static/app.js", "/static/app.css",
         "/static/socket.io.min.js", "/healthz", "/favicon.ico", "/no-such-page", "/static/../server.py"]


def fetch(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_security_headers_and_no_cookie(webchat_url, stack, path):
    status, headers, _ = fetch(webchat_url + path)
    assert status in (200, 204, 404), status
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert f"connect-src 'self' {stack.rasa_url} ws://127.0.0.1:{stack.ports.rasa}" in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers
    assert "aiohttp" not in headers.get("Server", "")


def test_only_the_listed_files_are_served(webchat_url):
    assert fetch(webchat_url + "/static/../server.py")[0] == 404
    assert fetch(webchat_url + "/webchat/server.py")[0] == 404
    assert fetch(webchat_url + "/node_modules/socket.io-client/package.json")[0] == 404
    assert fetch(webchat_url + "/", method="POST")[0] == 405
    assert fetch(webchat_url + "/", method="DELETE")[0] == 405
    status, body = http("POST", webchat_url + "/", raw=b"\x00\xff" * 4096)
    assert status in (405, 413)


def test_health(webchat_url):
    assert http("GET", webchat_url + "/healthz") == (200, {"status": "ok"})


def test_page_works_before_its_script_the_basics_are_in_the_html(webchat_url):
    status, headers, body = fetch(webchat_url + "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'id="quick-exit"' in page and "Leave this site" in page
    assert 'href="/neutral.html"' in page  # the tests' exit address (WEBCHAT_EXIT_URL)
    assert "history" in page and "private" in page.lower()
    for key in ("emergency", "childline", "nspcc_helpline"):
        assert f'href="tel:{digits(str(service(key)["phone"]))}"' in page
    # no inline script, no inline style, nothing loaded from anywhere else
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "style=" not in page and "<style" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_catalogue_json_is_generated_from_the_catalogue(webchat_url):
    status, body = http("GET", webchat_url + "/catalogue.json")
    assert status == 200
    assert body == json.loads(json.dumps(content.contacts()))


def test_socket_io_client_is_served_from_node_modules(webchat_url):
    status, headers, body = fetch(webchat_url + "/static/socket.io.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert body == SOCKET_IO_CLIENT.read_bytes()


def test_own_assets_name_no_other_site(webchat_url):
    """The page's own script and style load nothing from elsewhere (no CDN, fonts, analytics)."""
    for path in ("/static/app.js", "/static/app.css", "/neutral.html"):
        text = fetch(webchat_url + path)[2].decode()
        assert not re.search(r"@import|url\(|https?://[a-z0-9]", text, re.I), path
        assert "localStorage" not in text and "indexedDB" not in text and "document.cookie" not in text
