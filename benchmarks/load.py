"""Load benchmark: this assistant against a `rasa init` bot, then the scaled-out profile with 1 and 2 Rasa processes.

    .venv/bin/python benchmarks/load.py [--messages 500] [--concurrency 1,20] [--no-profile]
    (make bench-load saves the output to benchmarks/results/load.txt)

In one run it trains (this assistant through scripts/train_if_needed.py, which reuses the model
when its inputs are unchanged; the baseline with `rasa init --no-prompt` in a temporary folder),
starts each server, and drives it over the REST channel with a closed loop: C conversations, each
a client that sends its next message as soon as the previous one is answered over its own kept-alive
HTTP connection (as a reverse proxy does), at least N messages in all per level, repeated (default 3
times; the run with the median throughput is reported, with the spread); each client starts a new
conversation every 25 messages. It prints p50/p95/p99 latency, throughput, server RSS (sum over the
Rasa processes, and per process), cold start (process start to first REST reply) and training
time, with ratios to the baseline. With py-spy present it samples the assistant's Rasa process
in an extra, unmeasured pass at the highest level and prints where the time goes. Heavy: both cores for minutes.
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaled.stack import Backends, ScaledStack  # noqa: E402
from scripts.stack import Ports, Stack  # noqa: E402
from tests.support import free_port  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
# Said to both bots: small talk both understand, so neither is measured on a path the other lacks.
TURNS = 25  # messages per conversation: a 500-message conversation measures tracker replay, not serving
MESSAGES = ["hi", "hello there", "thanks", "are you a bot?", "good morning", "bye", "thank you", "hey"]


class Client:
    """One simulated user's HTTP connection, kept alive between messages as a reverse proxy keeps its
    upstream connections (opening a TCP connection per message would measure connection set-up)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.connection: Optional[http.client.HTTPConnection] = None

    def post(self, sender: str, text: str) -> float:
        body = json.dumps({"sender": sender, "message": text}).encode()
        start = time.perf_counter()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.connection.request("POST", "/webhooks/rest/webhook", body=body,
                                        headers={"Content-Type": "application/json"})
                response = self.connection.getresponse()
                response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.close()  # the server closed an idle connection: open a new one, once
                if attempt == 2:
                    raise
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        return time.perf_counter() - start

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def post(url: str, sender: str, text: str) -> float:
    client = Client(url)
    try:
        return client.post(sender, text)
    finally:
        client.close()


def drive(urls: List[str], conversations: int, total: int) -> Dict[str, float]:
    per = -(-total // conversations)
    latencies: List[float] = []
    errors = []
    lock = threading.Lock()

    def client(i: int) -> None:
        connection = Client(urls[i % len(urls)])
        for j in range(per):
            if j % TURNS == 0:  # a new conversation every TURNS messages, as people do
                sender = f"load-{uuid.uuid4().hex[:10]}"
            try:
                took = connection.post(sender, MESSAGES[(i + j) % len(MESSAGES)])
            except Exception as error:  # counted, not fatal
                errors.append(type(error).__name__)
                continue
            with lock:
                latencies.append(took)
        connection.close()

    for url in urls:  # warm-up, not measured
        post(url, "warmup", "hi")
    threads = [threading.Thread(target=client, args=(i,)) for i in range(conversations)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "errors": len(errors), "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "throughput": len(latencies) / elapsed}


def rss_mb(pids: List[int]) -> List[float]:
    sizes = []
    for pid in pids:
        try:
            process = psutil.Process(pid)
            sizes.append(sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20)
        except psutil.NoSuchProcess:
            sizes.append(float("nan"))
    return sizes


def wait_reply(url: str, timeout: float = 400.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            post(url, "coldstart", "hi")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} gave no reply in {timeout:.0f} s")
            time.sleep(0.25)


def profile(pid: int, seconds: int, out: Path) -> Optional[str]:
    spy = BIN / "py-spy"
    if not spy.exists():
        return None
    proc = subprocess.run([str(spy), "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "50",
                           "--format", "raw", "--output", str(out), "--nonblocking"], capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        return f"py-spy failed: {proc.stderr.strip()[-300:]}"
    own, total = collections.Counter(), 0
    inclusive = collections.Counter()
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        count = int(count)
        frames = stack.split(";")
        total += count
        own[frames[-1].split(" (")[0]] += count
        for name in {f.split(" (")[0] for f in frames}:
            inclusive[name] += count
    lines = [f"  py-spy, {total} samples of the Rasa process (all threads), top by inclusive share:"]
    interesting = [(n, c) for n, c in inclusive.most_common(400)
                   if not n.startswith(("<module>", "run_", "_run", "run (", "main", "_bootstrap", "select",
                                        "serve", "wait", "__call__"))][:18]
    lines += [f"    {100 * c / total:5.1f}%  {name}" for name, c in interesting]
    lines.append("  top by own time:")
    lines += [f"    {100 * c / total:5.1f}%  {name}" for name, c in own.most_common(8)]
    return "\n".join(lines)


class Subject:
    name: str = ""
    train_s: Optional[float] = None
    train_note: str = ""
    cold_s: float = 0.0

    def urls(self) -> List[str]: ...
    def pids(self) -> List[int]: ...
    def stop(self) -> None: ...


class Baseline(Subject):
    name = "rasa init (baseline)"

    @staticmethod
    def train(folder: Path) -> float:
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)], check=True,
                       capture_output=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
        return time.perf_counter() - start

    def __init__(self, folder: Path, train_s: float) -> None:
        self.folder, self.port = folder, free_port()
        self.train_s, self.train_note = train_s, "rasa init --no-prompt (scaffold + train)"
        log = open(folder / "rasa.log", "ab")
        start = time.perf_counter()
        self.process = subprocess.Popen([str(BIN / "rasa"), "run", "--port", str(self.port), "--interface", "127.0.0.1"],
                                        cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"})
        wait_reply(self.urls()[0])
        self.cold_s = time.perf_counter() - start

    def urls(self) -> List[str]:
        return [f"http://127.0.0.1:{self.port}"]

    def pids(self) -> List[int]:
        return [self.process.pid]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Assistant(Subject):
    def __init__(self, state: Path, replicas: int = 0, train: Optional[float] = None, note: str = "") -> None:
        ports = Ports(rasa=free_port(), actions=free_port(), console=free_port(), webchat=free_port())
        common = dict(ports=ports, state_dir=state, token=secrets.token_urlsafe(16), quiet=True,
                      with_console=False, with_webchat=False)
        if replicas:
            self.backends = Backends(pg_db=f"safeguard_bench_{uuid.uuid4().hex[:8]}", redis_db=3,
                                     redis_prefix=f"b{uuid.uuid4().hex[:8]}", socketio_channel=f"bench-{uuid.uuid4().hex[:8]}")
            self.stack: Stack = ScaledStack(replicas=replicas, backends=self.backends, **common)
            self.name = f"scaled-out, {replicas} Rasa process{'es' if replicas > 1 else ''} (PostgreSQL + Redis)"
        else:
            self.backends = None
            self.stack = Stack(**common)
            self.name = "this assistant (SQLite)"
        self.train_s, self.train_note = train, note
        start = time.perf_counter()
        self.stack.start(timeout=400)
        for url in self.urls():
            wait_reply(url)
        self.cold_s = time.perf_counter() - start

    def urls(self) -> List[str]:
        return self.stack.rasa_urls() if isinstance(self.stack, ScaledStack) else [self.stack.rasa_url]

    def pids(self) -> List[int]:
        return [p.pid for n, p in self.stack.processes.items() if n.startswith("rasa")]

    def stop(self) -> None:
        self.stack.stop()
        if self.backends:
            self.backends.drop_database()


def measure(subject: Subject, levels: List[int], total: int, prof: bool, tmp: Path, repeat: int = 1) -> Dict:
    result = {"name": subject.name, "cold": subject.cold_s, "train": subject.train_s, "note": subject.train_note}
    print(f"\n== {subject.name}", flush=True)
    for level in levels:
        runs = [drive(subject.urls(), level, total) for _ in range(repeat)]
        result[level] = r = sorted(runs, key=lambda run: run["throughput"])[len(runs) // 2]  # the median run
        r["spread"] = [run["throughput"] for run in runs]
        print(f"  {level:>2} conversations: {r['n']} msgs, {r['errors']} errors, p50 {r['p50']:.0f} ms, "
              f"p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms, {r['throughput']:.1f} msg/s"
              + (f" (median of {repeat} runs: {', '.join(f'{t:.1f}' for t in r['spread'])})" if repeat > 1 else ""),
              flush=True)
    if prof:  # an extra pass under the sampling profiler, not counted in the figures above
        box: Dict[str, Optional[str]] = {}
        spy = threading.Thread(target=lambda: box.update(p=profile(subject.pids()[0], 12, tmp / "profile.txt")))
        spy.start()
        drive(subject.urls(), max(levels), total)
        spy.join()
        result["profile"] = box.get("p")
    sizes = rss_mb(subject.pids())
    result["rss"] = sizes
    train = f"{subject.train_s:.0f} s ({subject.train_note})" if subject.train_s is not None else subject.train_note
    print(f"  RSS {sum(sizes):.0f} MB ({', '.join(f'{s:.0f}' for s in sizes)} MB per Rasa process incl. children); "
          f"cold start {subject.cold_s:.0f} s; training {train}", flush=True)
    if result.get("profile"):
        print(result["profile"], flush=True)
    return result


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--concurrency", default="1,20")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per level; the median run is reported (default 3)")
    parser.add_argument("--skip-scaled", action="store_true")
    parser.add_argument("--only-scaled", action="store_true", help="only the scaled-out profile, 1 and 2 processes")
    args = parser.parse_args()
    levels = [int(x) for x in args.concurrency.split(",")]
    lo, hi = min(levels), max(levels)
    print(f"load benchmark: {args.messages} messages per level, closed loop over REST, levels {levels}; "
          f"{os.cpu_count()} CPUs; load average before start {os.getloadavg()[0]:.1f}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
        tmp = Path(tmp_name)
        baseline_train = 0.0 if args.only_scaled else Baseline.train(tmp / "baseline")  # first: train_if_needed may wait on a lock
        print(f"baseline trained in {baseline_train:.0f} s", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([PY, str(ROOT / "scripts" / "train_if_needed.py")], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        took = time.perf_counter() - start
        print(f"scripts/train_if_needed.py finished after {took:.0f} s", flush=True)
        note = ("trained (scripts/train_if_needed.py)" if "train" in (proc.stdout + proc.stderr).lower() and took > 20
                else "model up to date, not retrained (scripts/train_if_needed.py reuses it when data are unchanged)")
        train_s = took if took > 20 else None
        subjects = [("baseline", lambda: Baseline(tmp / "baseline", baseline_train)),
                    ("assistant", lambda: Assistant(tmp / "assistant", train=train_s, note=note))]
        if args.only_scaled:
            subjects = []
        if not args.skip_scaled:
            subjects += [("scaled1", lambda: Assistant(tmp / "scaled1", replicas=1, train=train_s, note=note)),
                         ("scaled2", lambda: Assistant(tmp / "scaled2", replicas=2, train=train_s, note=note))]
        for key, make in subjects:
            subject = make()
            try:
                results[key] = measure(subject, levels, args.messages, key == "assistant" and not args.no_profile, tmp,
                                       args.repeat)
            finally:
                subject.stop()
    if args.only_scaled:
        one, two = results["scaled1"], results["scaled2"]
        print(f"\n== scaled-out: 2 processes / 1 process at {hi} conversations: "
              f"{ratio(two[hi]['throughput'], one[hi]['throughput'])} (target >= 1.6x)")
        return 0
    base, ours = results["baseline"], results["assistant"]
    print("\n== ratios (this assistant / baseline)")
    print(f"  throughput at {hi} conversations: {ratio(ours[hi]['throughput'], base[hi]['throughput'])} (target >= 1.5x)")
    print(f"  p95 at {lo} conversation: {ours[lo]['p95']:.0f} ms vs {base[lo]['p95']:.0f} ms = "
          f"{ratio(ours[lo]['p95'], base[lo]['p95'])} (target <= 1.0x)")
    for level in levels:
        print(f"  {level:>2} conversations: p50 {ratio(ours[level]['p50'], base[level]['p50'])}, "
              f"p99 {ratio(ours[level]['p99'], base[level]['p99'])}, throughput "
              f"{ratio(ours[level]['throughput'], base[level]['throughput'])}")
    print(f"  RSS {ratio(sum(ours['rss']), sum(base['rss']))}; cold start {ratio(ours['cold'], base['cold'])}")
    if "scaled2" in results:
        one, two = results["scaled1"], results["scaled2"]
        print(f"\n== scaled-out: 2 processes / 1 process at {hi} conversations: "
              f"{ratio(two[hi]['throughput'], one[hi]['throughput'])} (target >= 1.6x)")
        print(f"  scaled-out, 1 process / baseline at {hi}: {ratio(one[hi]['throughput'], base[hi]['throughput'])}; "
              f"2 processes / baseline: {ratio(two[hi]['throughput'], base[hi]['throughput'])}")
        print(f"  largest RSS per Rasa process: {max(max(r['rss']) for r in results.values()):.0f} MB (target <= 1229 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
