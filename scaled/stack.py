"""ScaledStack: N Rasa processes (each with its own action server) on PostgreSQL and Redis.

Built on scripts/stack.py's Stack. Process names: ``rasa``/``actions`` for the first pair (so
``stop_one('actions')``, ``kill_one('rasa')``, ``start_one`` and ``wait_healthy`` work as for the
default stack), then ``rasa2``/``actions2``, ``rasa3``/``actions3``...
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import sqlalchemy as sa

from scripts.stack import ROOT, PYTHON, Stack


@dataclass
class Backends:
    pg_host: str = os.environ.get("SAFEGUARD_PG_HOST", "127.0.0.1")
    pg_port: int = int(os.environ.get("SAFEGUARD_PG_PORT", 5432))
    pg_user: str = os.environ.get("SAFEGUARD_PG_USER", "postgres")
    pg_db: str = os.environ.get("SAFEGUARD_PG_DB", "safeguard")
    redis_host: str = os.environ.get("SAFEGUARD_REDIS_HOST", "127.0.0.1")
    redis_port: int = int(os.environ.get("SAFEGUARD_REDIS_PORT", 6379))
    redis_db: int = int(os.environ.get("SAFEGUARD_REDIS_DB", 1))
    redis_prefix: str = os.environ.get("SAFEGUARD_REDIS_PREFIX", "safeguard")  # letters and digits only
    socketio_channel: str = os.environ.get("SAFEGUARD_SOCKETIO_CHANNEL", "safeguard-socketio")

    def pg_url(self, db: Optional[str] = None) -> str:
        return f"postgresql://{self.pg_user}@{self.pg_host}:{self.pg_port}/{db or self.pg_db}"

    def env(self) -> Dict[str, str]:
        return {
            "SAFEGUARD_PG_HOST": self.pg_host, "SAFEGUARD_PG_PORT": str(self.pg_port),
            "SAFEGUARD_PG_USER": self.pg_user, "SAFEGUARD_PG_DB": self.pg_db,
            "SAFEGUARD_DB_URL": self.pg_url(),
            "SAFEGUARD_REDIS_HOST": self.redis_host, "SAFEGUARD_REDIS_PORT": str(self.redis_port),
            "SAFEGUARD_REDIS_DB": str(self.redis_db), "SAFEGUARD_REDIS_PREFIX": self.redis_prefix,
            "SAFEGUARD_SOCKETIO_REDIS_URL": f"redis://{self.redis_host}:{self.redis_port}/{self.redis_db}",
            "SAFEGUARD_SOCKETIO_CHANNEL": self.socketio_channel,
        }

    def ensure_database(self) -> None:
        """Create the PostgreSQL database if it is missing (clear error when PostgreSQL is not reachable)."""
        engine = sa.create_engine(self.pg_url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :db"),
                                            {"db": self.pg_db}).scalar()
                if not exists:
                    connection.execute(sa.text(f'CREATE DATABASE "{self.pg_db}"'))
        except sa.exc.OperationalError as error:
            raise ConnectionError(f"PostgreSQL at {self.pg_host}:{self.pg_port} is not reachable: {error.orig}") from error
        finally:
            engine.dispose()

    def drop_database(self) -> None:
        engine = sa.create_engine(self.pg_url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)'))
        finally:
            engine.dispose()

    def check_redis(self) -> None:
        import redis

        try:
            redis.Redis(host=self.redis_host, port=self.redis_port, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            raise ConnectionError(f"Redis at {self.redis_host}:{self.redis_port} is not reachable: {error}") from error


@dataclass
class ScaledStack(Stack):
    replicas: int = 2
    backends: Backends = field(default_factory=Backends)
    extra_ports: Dict[str, int] = field(default_factory=dict)  # rasa2, actions2, ... -> port
    endpoints: object = ROOT / "endpoints.scaled.yml"
    credentials: object = ROOT / "credentials.scaled.yml"

    def __post_init__(self) -> None:
        for i in range(2, self.replicas + 1):
            for kind in ("rasa", "actions"):
                self.extra_ports.setdefault(f"{kind}{i}", _free_port())

    def port_of(self, name: str) -> int:
        if name in ("rasa", "actions"):
            return getattr(self.ports, name)
        return self.extra_ports[name]

    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{self.port_of(n)}" for n in self.rasa_names()]

    def rasa_names(self) -> List[str]:
        return ["rasa"] + [f"rasa{i}" for i in range(2, self.replicas + 1)]

    def env(self) -> Dict[str, str]:
        env = super().env()
        env.update(self.backends.env())
        # One TensorFlow thread per process: each process parses one message at a time, and N
        # processes with a pool of N threads each fight over N cores (docs/scaling.md, Performance).
        env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        env.update(self.extra_env)
        return env

    def env_for(self, name: str) -> Dict[str, str]:
        env = self.env()
        suffix = name[len("rasa"):] if name.startswith("rasa") else name[len("actions"):] if name.startswith("actions") else ""
        if suffix:  # rasa2 talks to actions2
            env["RASA_PORT"] = str(self.port_of(f"rasa{suffix}"))
            env["ACTIONS_PORT"] = str(self.port_of(f"actions{suffix}"))
        return env

    def commands(self) -> Dict[str, List[str]]:
        commands = super().commands()
        for i in range(2, self.replicas + 1):
            if "actions" in commands:
                commands[f"actions{i}"] = [PYTHON, "-m", "rasa_sdk", "--actions", "actions",
                                           "--port", str(self.port_of(f"actions{i}"))]
            if "rasa" in commands:
                rasa = list(commands["rasa"])
                rasa[rasa.index("--port") + 1] = str(self.port_of(f"rasa{i}"))
                commands[f"rasa{i}"] = rasa
        return commands

    def health_urls(self) -> Dict[str, str]:
        urls = super().health_urls()
        for name, port in self.extra_ports.items():
            urls[name] = f"http://127.0.0.1:{port}/health" if name.startswith("actions") else f"http://127.0.0.1:{port}/"
        return urls

    def start(self, timeout: float = 240.0) -> None:
        self.backends.ensure_database()
        self.backends.check_redis()
        for name, command in self.commands().items():
            self.start_one(name, command)
        self.wait_healthy(timeout)

    def start_one(self, name: str, command: Optional[List[str]] = None, env: Optional[Dict[str, str]] = None) -> None:
        super().start_one(name, command or self.commands()[name], env or self.env_for(name))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
