"""Figures for the assistant itself: training time, cold start, REST latency for one
conversation, and server memory.

    python benchmarks/assistant.py [--skip-training] [--messages 200]

Training is timed into a temporary folder with --force (the shared model is not touched).
The servers are started on free ports with a temporary state folder.
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import Ports, Stack  # noqa: E402
from tests.support import RestUser, free_port  # noqa: E402

CONVERSATION = [
    "hi", "what can you do", "im 13", "my stepdad hits me when hes drunk", "no thanks", "is this confidential",
    "will it show on the phone bill", "are you a bot", "i keep cutting myself", "thanks", "bye",
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_training(out: Path) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "rasa", "train", "--force", "--out", str(out), "--fixed-model-name", "bench"],
                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3"),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def rss_mb(process: subprocess.Popen) -> float:
    parent = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_training:
            print(f"training time (full, --force): {time_training(Path(tmp)):.0f} s", flush=True)
        stack = Stack(ports=Ports(rasa=free_port(), actions=free_port(), console=free_port(), webchat=free_port()),
                      state_dir=Path(tmp) / "state", token=secrets.token_urlsafe(16), quiet=True,
                      with_console=False, with_webchat=False)
        started = time.monotonic()
        stack.start(timeout=300)
        cold_start = time.monotonic() - started
        try:
            user, latencies = RestUser(stack.rasa_url, "bench-warmup"), []
            user.say("hi")
            for i in range(args.messages):
                if i % len(CONVERSATION) == 0:
                    user = RestUser(stack.rasa_url)
                text = CONVERSATION[i % len(CONVERSATION)]
                t0 = time.perf_counter()
                user.say(text)
                latencies.append((time.perf_counter() - t0) * 1000)
            rasa_rss = rss_mb(stack.processes["rasa"])
            actions_rss = rss_mb(stack.processes["actions"])
        finally:
            stack.stop()
    print(f"cold start (action server + Rasa until both answer): {cold_start:.1f} s")
    print(f"REST latency, one conversation at a time, {len(latencies)} messages: "
          f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
          f"max {max(latencies):.0f} ms")
    print(f"memory (RSS): Rasa server {rasa_rss:.0f} MB, action server {actions_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
