"""Handoff latency, measured end to end on a fresh stack (actions, Rasa, console; own ports and state).

(a) a user's handoff request on the socket.io channel -> the conversation appears in the agent's
    live queue (the console's server-sent event stream, as the browser receives it);
(b) an agent's message posted to the console -> the user's socket.io client receives it.

    .venv/bin/python benchmarks/handoff_latency.py [--runs 50]
"""
from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import Ports, Stack  # noqa: E402
from tests.handoff.clients import ConsoleClient, SocketUser, create_account  # noqa: E402
from tests.support import free_port  # noqa: E402


class QueueWatcher(threading.Thread):
    """Reads /api/queue/stream like the browser does and notes when each conversation first appears."""

    def __init__(self, client: ConsoleClient):
        super().__init__(daemon=True)
        self.client, self.seen, self.stopping = client, {}, threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            response = self.client.get("/api/queue/stream", stream=True, timeout=60)
            for line in response.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    now = time.monotonic()
                    for entry in json.loads(line[6:])["waiting"]:
                        self.seen.setdefault(entry["conversation_id"], now)
                if self.stopping.is_set():
                    break
            response.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def report(name, values):
    ms = [v * 1000 for v in values]
    print(f"{name}: n={len(ms)} p50={statistics.median(ms):.0f} ms p95={percentile(ms, 95):.0f} ms "
          f"min={min(ms):.0f} ms max={max(ms):.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    stack = Stack(ports=Ports(rasa=free_port(), actions=free_port(), console=free_port(), webchat=free_port()),
                  state_dir=state, token=secrets.token_urlsafe(24), quiet=True, with_webchat=False,
                  extra_env={"CONSOLE_SECRET_KEY": secrets.token_urlsafe(24), "HANDOFF_HOURS": "always",
                             "SAFEGUARD_DB_URL": f"sqlite:///{state / 'rasa.db'}"})
    print("starting the stack (about 30 s)...", flush=True)
    stack.start(timeout=240)
    try:
        username, password = create_account(stack, "agent")
        agent = ConsoleClient(f"http://127.0.0.1:{stack.ports.console}")
        agent.login(username, password)
        watcher = QueueWatcher(agent)
        watcher.start()
        to_queue, to_socket = [], []
        for run in range(args.runs):
            user = SocketUser(stack.rasa_url, origin=stack.webchat_origin).connect()
            try:
                asked = user.say("/request_human")
                deadline = time.monotonic() + 15
                while user.session_id not in watcher.seen:
                    if time.monotonic() > deadline:
                        raise TimeoutError("the request never reached the queue")
                    time.sleep(0.005)
                to_queue.append(watcher.seen[user.session_id] - asked)
                user.wait_handoff("queued")
                assert agent.claim(user.session_id).status_code == 200
                user.wait_handoff("connected")
                text = f"Hello, this is run {run}."
                started = time.monotonic()
                assert agent.send(user.session_id, text).status_code == 200
                arrived, _, _ = user.wait_for(lambda m: m.get("text") == text, timeout=10)
                to_socket.append(arrived - started)
                assert agent.end(user.session_id).status_code == 200
                user.wait_handoff("ended")
            finally:
                user.close()
        watcher.stopping.set()
        report("(a) handoff request -> in the console queue", to_queue)
        report("(b) agent message -> user's socket", to_socket)
        agent.logout()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
