"""Fixtures for the handoff tests: staff accounts made with the real CLI, signed-in console clients,
and socket.io users. Agents are signed out at the end so other tests see nobody available."""
from __future__ import annotations

import pytest
import yaml

from tests.handoff.clients import ConsoleClient, SocketUser, create_account, ROOT


@pytest.fixture(scope="session")
def console_url(stack) -> str:
    assert "console" in stack.processes, "the stack did not start the staff console"
    return f"http://127.0.0.1:{stack.ports.console}"


@pytest.fixture(scope="session")
def responses():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variants[0]["text"] for name, variants in domain["responses"].items()}


@pytest.fixture
def signed_in(stack, console_url):
    """signed_in(role) -> ConsoleClient signed in with a fresh account of that role."""
    clients = []

    def make(role: str = "agent") -> ConsoleClient:
        username, password = create_account(stack, role)
        client = ConsoleClient(console_url)
        client.login(username, password)
        client.username = username
        clients.append(client)
        return client

    yield make
    for client in clients:
        try:
            if client.csrf and client.get("/api/queue").status_code == 200:
                client.set_available(False)
            client.logout()
        except Exception:
            pass


@pytest.fixture
def users(stack):
    """users() -> a connected SocketUser; all are disconnected afterwards."""
    made = []

    def make(session_id=None) -> SocketUser:
        user = SocketUser(stack.rasa_url, session_id, stack.webchat_origin).connect()
        made.append(user)
        return user

    yield make
    for user in made:
        user.close()
