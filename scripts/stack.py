"""Start and stop every process the assistant needs, for `make run` and for the tests.

Processes: the action server, the Rasa server (REST + socket.io, HTTP API behind a token),
and, when their packages are present, the staff console (`handoff.console`) and the public
chat page (`webchat.server`). All listen on 127.0.0.1 only.
"""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable


@dataclass
class Ports:
    rasa: int = int(os.environ.get("RASA_PORT", 5005))
    actions: int = int(os.environ.get("ACTIONS_PORT", 5055))
    console: int = int(os.environ.get("CONSOLE_PORT", 5006))
    webchat: int = int(os.environ.get("WEBCHAT_PORT", 8080))


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    model: Path = ROOT / "models" / "current.tar.gz"
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"
    state_dir: Path = VAR
    token: str = ""
    extra_env: Dict[str, str] = field(default_factory=dict)
    with_console: bool = True
    with_webchat: bool = True
    with_actions: bool = True
    quiet: bool = False
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    # ----- configuration shared by every process -----
    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def webchat_origin(self) -> str:
        return f"http://127.0.0.1:{self.ports.webchat}"

    def env(self) -> Dict[str, str]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "logs").mkdir(exist_ok=True)
        sqlite_path = self.state_dir / "rasa.db"
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_PORT": str(self.ports.rasa),
            "ACTIONS_PORT": str(self.ports.actions),
            "CONSOLE_PORT": str(self.ports.console),
            "WEBCHAT_PORT": str(self.ports.webchat),
            "RASA_URL": self.rasa_url,
            "RASA_API_TOKEN": self.token,
            "SAFEGUARD_STATE_DIR": str(self.state_dir),
            "SAFEGUARD_SQLITE_PATH": str(sqlite_path),
        })
        env.setdefault("SAFEGUARD_DB_URL", f"sqlite:///{sqlite_path}")
        env.update(self.extra_env)
        return env

    # ----- processes -----
    def commands(self) -> Dict[str, List[str]]:
        skip = set(filter(None, os.environ.get("STACK_SKIP", "").split(",")))  # e.g. STACK_SKIP=console,webchat
        cors = os.environ.get("WEBCHAT_ORIGINS", f"{self.webchat_origin} http://localhost:{self.ports.webchat}").split()
        commands = {}
        if self.with_actions:
            commands["actions"] = [PYTHON, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.ports.actions)]
        commands["rasa"] = [
            PYTHON, "-m", "redaction.serve", "run", "--model", str(self.model), "--endpoints", str(self.endpoints),
            # "--auth-token=" so that a generated token starting with "-" is not read as an option
            "--credentials", str(self.effective_credentials()), "--enable-api", f"--auth-token={self.token}",
            "--interface", "127.0.0.1", "--port", str(self.ports.rasa), "--cors", *cors,
        ]
        if self.with_console and importlib.util.find_spec("handoff.console") is not None:
            commands["console"] = [PYTHON, "-m", "handoff.console", "serve"]
        if self.with_webchat and importlib.util.find_spec("webchat.server") is not None:
            commands["webchat"] = [PYTHON, "-m", "webchat.server"]
        return {name: command for name, command in commands.items() if name not in skip}

    def effective_credentials(self) -> Path:
        """credentials.yml plus each messaging platform whose env vars are set (channels/credentials.py)."""
        if importlib.util.find_spec("channels") is None:
            return self.credentials
        from channels import credentials as platforms
        return platforms.write(self.state_dir / "credentials.yml", base=self.credentials, env=self.env())

    def health_urls(self) -> Dict[str, str]:
        return {
            "actions": f"http://127.0.0.1:{self.ports.actions}/health",
            "rasa": f"{self.rasa_url}/",
            "console": f"http://127.0.0.1:{self.ports.console}/healthz",
            "webchat": f"http://127.0.0.1:{self.ports.webchat}/healthz",
        }

    def start(self, timeout: float = 180.0) -> None:
        env = self.env()
        for name, command in self.commands().items():
            self.start_one(name, command, env)
        self.wait_healthy(timeout)

    def start_one(self, name: str, command: Optional[List[str]] = None, env: Optional[Dict[str, str]] = None) -> None:
        command = command or self.commands()[name]
        log = open(self.state_dir / "logs" / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if not self.quiet:
            print(f"  starting {name} (log: {Path(log.name).relative_to(ROOT) if str(log.name).startswith(str(ROOT)) else log.name})", flush=True)

    def wait_healthy(self, timeout: float = 180.0, names: Optional[List[str]] = None) -> None:
        deadline = time.monotonic() + timeout
        urls = self.health_urls()
        for name in names or list(self.processes):
            while True:
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}; see {self.state_dir}/logs/{name}.log")
                if _responds(urls[name]):
                    if not self.quiet:
                        print(f"  {name} is up", flush=True)
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} did not become healthy in {timeout:.0f} s")
                time.sleep(0.5)

    def stop_one(self, name: str, timeout: float = 15.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def kill_one(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop_one(name)


def _responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False
