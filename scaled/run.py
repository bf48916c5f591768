"""`make run-scaled`: the scaled-out profile on this machine (docs/scaling.md).

    .venv/bin/python -m scaled.run [--replicas N]      (env RASA_REPLICAS, default 2)

Starts N Rasa processes (ports RASA_PORT, then free ports) each with its own action server, all
sharing the PostgreSQL database SAFEGUARD_PG_DB (created if missing) and Redis (locks, socket.io
rooms), plus the staff console and chat page, which talk to the first Rasa process.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from scripts import secret_store
from scaled.stack import ScaledStack


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("RASA_REPLICAS", 2)))
    args = parser.parse_args()
    secrets = secret_store.load()
    stack = ScaledStack(replicas=max(1, args.replicas), token=secrets["RASA_API_TOKEN"],
                        extra_env={name: secrets[name] for name in ("CONSOLE_SECRET_KEY", "CHANNEL_ID_KEY")})
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print(f"starting the scaled-out profile: {stack.replicas} Rasa processes on PostgreSQL "
          f"{stack.backends.pg_host}:{stack.backends.pg_port}/{stack.backends.pg_db} and Redis "
          f"{stack.backends.redis_host}:{stack.backends.redis_port}...", flush=True)
    try:
        stack.start()
    except Exception as error:
        print(f"could not start: {error}", file=sys.stderr)
        stack.stop()
        return 1
    print("\nThe scaled-out assistant is running. Press Ctrl-C to stop everything.")
    for name, url in zip(stack.rasa_names(), stack.rasa_urls()):
        print(f"  {name}: {url}  (REST + socket.io; put a load balancer with sticky sessions in front)")
    print(f"  staff console: http://127.0.0.1:{stack.ports.console}   chat page: http://127.0.0.1:{stack.ports.webchat}\n",
          flush=True)
    while not stopping.wait(1.0):
        for name, process in list(stack.processes.items()):
            if process.poll() is not None:
                print(f"{name} stopped unexpectedly (code {process.returncode}); stopping everything", file=sys.stderr)
                stopping.set()
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
