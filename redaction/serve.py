"""Start Rasa only with the redacting tracker store really in use.

    python -m redaction.serve run --model ... --endpoints endpoints.yml ...   (same arguments as `rasa run`)
    python -m redaction.serve check [--endpoints endpoints.yml]              (check only, exit 0 or 2)

Rasa silently falls back to an in-memory store when a custom store cannot be imported. Before
Rasa starts, this launcher builds the store configured in the endpoints file and exits with
code 2 and a clear message unless it is a ``RedactingSQLTrackerStore`` that connects. While Rasa
loads, it makes that fallback an error and checks the agent's store again once it is loaded.
It also installs the log filters of ``redaction.logs``, and ``handoff.sessions`` (a conversation held
by staff keeps its session however long the user is quiet).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

EXIT_REFUSED = 2
logger = logging.getLogger("redaction.serve")


class StoreRefused(Exception):
    pass


def _endpoints_path(argv: List[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--endpoints" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--endpoints="):
            return arg.split("=", 1)[1]
    return "endpoints.yml"


def _unwrap(store: Any) -> Any:
    seen = 0
    while hasattr(store, "_tracker_store") and seen < 5:  # FailSafeTrackerStore, AwaitableTrackerStore
        store = store._tracker_store
        seen += 1
    return store


def check_store(endpoints_file: str) -> Any:
    """Build the configured tracker store; return it or raise StoreRefused saying why."""
    import rasa.shared.utils.common
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from redaction.store import RedactingSQLTrackerStore

    if not Path(endpoints_file).is_file():
        raise StoreRefused(f"endpoints file not found: {endpoints_file}")
    try:
        config = read_endpoint_config(endpoints_file, "tracker_store")
    except Exception as error:  # bad YAML, undefined ${VAR}
        raise StoreRefused(f"cannot read tracker_store from {endpoints_file}: {error}") from error
    if config is None or not config.type:
        raise StoreRefused(f"{endpoints_file} configures no tracker_store: conversations would be kept "
                           f"unredacted in memory only")
    if config.type.lower() in {"sql", "redis", "mongod", "dynamo", "in_memory", "inmemory"}:
        raise StoreRefused(f"tracker store type {config.type!r} is Rasa's own and does not redact: use "
                           f"redaction.store.RedactingSQLTrackerStore")
    try:
        store_class = rasa.shared.utils.common.class_from_module_path(config.type)
    except (ImportError, AttributeError) as error:
        raise StoreRefused(f"tracker store type {config.type!r} cannot be imported: {error}") from error
    if not (isinstance(store_class, type) and issubclass(store_class, RedactingSQLTrackerStore)):
        raise StoreRefused(f"tracker store type {config.type!r} does not redact: use "
                           f"redaction.store.RedactingSQLTrackerStore")
    try:
        store = _unwrap(TrackerStore.create(config))
    except Exception as error:
        raise StoreRefused(f"tracker store {config.type!r} failed to start: {error}") from error
    if not isinstance(store, store_class):
        raise StoreRefused(f"Rasa built {type(store).__name__} instead of {config.type!r}")
    return store


def _strict_custom_store_loading() -> None:
    """Make Rasa's silent fallback to InMemoryTrackerStore an error in this process."""
    import rasa.core.tracker_store as tracker_store_module

    def strict(domain, store, event_broker=None):
        import rasa.shared.utils.common

        store_class = rasa.shared.utils.common.class_from_module_path(store.type)
        return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)

    tracker_store_module._load_from_module_name_in_endpoint_config = strict


def _verify_loaded_agent() -> None:
    """After Rasa loads its agent, its tracker store must be the redacting one; else stop the process."""
    import rasa.core.agent as agent_module

    from redaction.store import RedactingSQLTrackerStore

    original = agent_module.load_agent

    async def load_agent(*args, **kwargs):
        agent = await original(*args, **kwargs)
        store = _unwrap(getattr(agent, "tracker_store", None))
        if not isinstance(store, RedactingSQLTrackerStore):
            sys.stderr.write(f"refusing to serve: the tracker store in use is {type(store).__name__}, "
                             f"not RedactingSQLTrackerStore\n")
            sys.stderr.flush()
            os._exit(EXIT_REFUSED)
        logger.info("tracker store in use: %s", type(store).__name__)
        return agent

    agent_module.load_agent = load_agent


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in {"run", "check"}:
        print(__doc__, file=sys.stderr)
        return EXIT_REFUSED
    from redaction import logs

    logs.install()
    endpoints_file = _endpoints_path(argv)
    try:
        store = check_store(endpoints_file)
    except StoreRefused as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"tracker store check passed: {type(store).__name__} ({store.engine.dialect.name})", flush=True)
    store.engine.dispose()
    if argv[0] == "check":
        return 0
    _strict_custom_store_loading()
    _verify_loaded_agent()
    from handoff import sessions

    sessions.install()  # a conversation with (or waiting for) a person keeps its session
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
