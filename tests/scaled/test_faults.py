"""Faults on the scaled-out profile: action server down, Rasa killed, PostgreSQL restarted, Redis gone."""
from __future__ import annotations

import glob
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
import yaml

from tests.scaled.helpers import reply_texts, say, stored_texts, tracker

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def response(name: str) -> str:
    return RESPONSES[name][0]["text"]


def sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_action_server_down_safety_routes_still_reach_the_user(scaled):
    url = scaled.rasa_urls()[0]
    scaled.stop_one("actions")
    try:
        cases = [
            ("im 12 and my dad is hitting my mum right now", ["utter_route_999", "utter_route_childline"]),
            ("as a parent im terrified, my ex has taken our son and says he will kill him tonight",
             ["utter_route_999", "utter_route_nspcc_helpline"]),
            ("someone is outside my door with a knife", ["utter_route_999"]),  # asking who they are needs actions
        ]
        for text, routes in cases:
            status, replies = say(url, sender("noactions"), text)
            assert status == 200, (status, replies)
            assert all(set(r) <= {"recipient_id", "text", "buttons"} for r in replies), replies  # plain messages
            texts = reply_texts(replies)
            assert texts and texts[0] == response("utter_route_999"), texts
            for route in routes:
                assert response(route) in texts, (route, texts)
    finally:
        scaled.start_one("actions")
        scaled.wait_healthy(120, ["actions"])
    # normal service: the custom action asks who they are again
    status, replies = say(url, sender("actionsback"), "someone is outside my door with a knife")
    assert status == 200
    assert response("utter_ask_audience") in reply_texts(replies)


def test_rasa_killed_mid_conversation_carries_on(scaled):
    url = scaled.rasa_urls()[0]
    user = sender("killed")
    said = ["hi", "im 13", "is this confidential"]
    for text in said:
        status, _ = say(url, user, text)
        assert status == 200
    assert tracker(url, scaled.token, user)["slots"]["audience"] == "child"
    scaled.kill_one("rasa")  # SIGKILL, no clean shut-down
    scaled.start_one("rasa")
    scaled.wait_healthy(240, ["rasa"])
    assert stored_texts(scaled.db, user, "user") == said
    status, replies = say(url, user, "my uncle touches me and i dont like it")
    assert status == 200
    texts = reply_texts(replies)
    assert response("utter_route_childline") in texts and response("utter_route_nspcc_helpline") not in texts
    state = tracker(url, scaled.token, user)
    assert state["slots"]["audience"] == "child"
    assert stored_texts(scaled.db, user, "user") == said + ["my uncle touches me and i dont like it"]


def _pg_restart() -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True, timeout=120)


@pytest.mark.skipif(not glob.glob("/etc/postgresql/*/main"), reason="no local PostgreSQL cluster to restart")
def test_postgresql_restart_while_traffic_flows(scaled):
    urls = scaled.rasa_urls()
    stop = threading.Event()
    outcomes = []  # (sender, text, status, replies)

    def traffic(n):
        user = sender(f"pg{n}")
        i = 0
        while not stop.is_set() or i < 4:
            text = ["hi", "what can you do", "thanks", "are you a bot"][i % 4]
            status, body = say(urls[i % 2], user, text)
            outcomes.append((user, text, status, body))
            i += 1

    threads = [threading.Thread(target=traffic, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    _pg_restart()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(120)
    assert all(status in (200, 503) for _, _, status, _ in outcomes), {s for _, _, s, _ in outcomes}
    # every message that got a reply is stored, in order; nothing else was stored for it
    users = {u for u, *_ in outcomes}
    for user in users:
        replied = [text for u, text, status, body in outcomes if u == user and status == 200 and body]
        assert stored_texts(scaled.db, user, "user") == replied, user
    # the server recovered by itself: the last messages of every conversation were answered
    for user in users:
        last = [status for u, _, status, _ in outcomes if u == user][-2:]
        assert last == [200, 200], (user, last)


def _redis_up() -> bool:
    try:
        return bool(redis.Redis(port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _redis_start() -> None:
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
                    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile",
                    "/var/log/redis/ci.log"], check=True, timeout=30)
    deadline = time.monotonic() + 20
    while not _redis_up():
        assert time.monotonic() < deadline, "Redis did not come back"
        time.sleep(0.2)


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_unavailable_clear_error_and_no_corruption(scaled):
    url = scaled.rasa_urls()[0]
    user = sender("redis")
    assert say(url, user, "im 14")[0] == 200
    before = stored_texts(scaled.db, user, "user")
    redis.Redis(port=6379).shutdown(nosave=True)
    try:
        status, body = say(url, user, "is this confidential")
    finally:
        _redis_start()  # Redis is shared by the machine: down for a second or two only
    assert status == 503, (status, body)
    assert body["error"] == "unavailable" and "send it again" in body["message"]
    assert stored_texts(scaled.db, user, "user") == before  # nothing half-written
    status, replies = say(url, user, "is this confidential")
    assert status == 200 and replies
    assert tracker(url, scaled.token, user)["slots"]["audience"] == "child"
    assert stored_texts(scaled.db, user, "user") == before + ["is this confidential"]
