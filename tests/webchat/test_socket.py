"""Rasa's socket.io channel accepts only the configured page origins (webchat/socket_channel.py)."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.request

import pytest
import socketio

from webchat.socket_channel import allowed_origins, origin_allowed


async def _connect(url: str, headers: dict, transport: str) -> str:
    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(url, headers=headers, transports=[transport], wait_timeout=10)
        await client.disconnect()
        return "connected"
    except socketio.exceptions.ConnectionError:
        return "refused"
    finally:
        session = getattr(client.eio, "http", None)
        if session is not None and not session.closed:
            await session.close()


def connect(url: str, origin: str = "", transport: str = "websocket") -> str:
    # In a thread of its own: asyncio.run refuses to start where another event loop is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _connect(url, {"Origin": origin} if origin else {}, transport)).result()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_page_origin_connects(stack, webchat_url, transport):
    assert connect(stack.rasa_url, webchat_url, transport) == "connected"
    localhost = f"http://localhost:{stack.ports.webchat}"
    assert connect(stack.rasa_url, localhost, transport) == "connected"


@pytest.mark.parametrize("transport", ["websocket", "polling"])
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1",
                                    "https://127.0.0.1:{webchat}", "http://127.0.0.1:{webchat}.evil.example"])
def test_other_origins_are_refused(stack, origin, transport):
    origin = origin.format(webchat=stack.ports.webchat)
    assert connect(stack.rasa_url, origin, transport) == "refused"


def test_refusal_is_a_403_before_any_session(stack):
    request = urllib.request.Request(f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling",
                                     headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert "Access-Control-Allow-Origin" not in refused.value.headers


def test_clients_without_an_origin_header_are_not_browsers_and_may_connect(stack):
    assert connect(stack.rasa_url, "", "websocket") == "connected"


def test_same_origin_clients_connect_but_a_rebound_host_name_does_not(stack):
    """Python's websocket-client sends the server's own origin; a DNS-rebinding page sends its own name."""
    assert connect(stack.rasa_url, stack.rasa_url, "websocket") == "connected"
    assert connect(stack.rasa_url, f"http://rebound.example:{stack.ports.rasa}", "websocket") == "refused"


def test_allowed_origins_setting():
    own = {"http://127.0.0.1:5005", "http://localhost:5005"}
    assert allowed_origins({"WEBCHAT_PORT": "9000"}) == {"http://127.0.0.1:9000", "http://localhost:9000"} | own
    assert allowed_origins({"WEBCHAT_ORIGINS": "https://chat.example.org/ http://a:1", "RASA_PORT": "5005",
                            "RASA_URL": "https://bot.example.org/"}) == {
        "https://chat.example.org", "http://a:1", "https://bot.example.org"} | own
    allowed = allowed_origins({"WEBCHAT_PORT": "9000"})
    assert origin_allowed(None, allowed) and origin_allowed("http://127.0.0.1:9000", allowed)
    assert not origin_allowed("http://127.0.0.1:9000/", allowed)
    assert not origin_allowed("", allowed)
