"""`make run`: start every service the assistant needs and stop them all on Ctrl-C."""
from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import secret_store  # noqa: E402
from scripts.stack import Stack  # noqa: E402


def main() -> int:
    secrets = secret_store.load()
    stack = Stack(token=secrets["RASA_API_TOKEN"], extra_env={
        name: secrets[name] for name in ("CONSOLE_SECRET_KEY", "CHANNEL_ID_KEY")})
    stopping = threading.Event()

    def on_signal(signum, frame):
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("starting the assistant (the Rasa server takes about 30 s to load the model)...", flush=True)
    try:
        stack.start()
    except Exception as error:  # a process failed to start: stop the others and say why
        print(f"could not start: {error}", file=sys.stderr)
        stack.stop()
        return 1
    p = stack.ports
    try:
        from channels.credentials import status_lines
        platform_lines = "\n".join(f"    {line}" for line in status_lines(stack.env(), stack.rasa_url))
    except ImportError:
        platform_lines = "    (channels package not installed)"
    print(f"""
The assistant is running. Press Ctrl-C to stop everything.
  Rasa server (REST + socket.io): http://127.0.0.1:{p.rasa}
    try: curl -s -XPOST http://127.0.0.1:{p.rasa}/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{{"sender":"me","message":"hi"}}'
  Action server:                  http://127.0.0.1:{p.actions}
  Staff console:                  http://127.0.0.1:{p.console}   {'(running)' if 'console' in stack.processes else '(not installed)'}
  Public chat page:               http://127.0.0.1:{p.webchat}   {'(running)' if 'webchat' in stack.processes else '(not installed)'}
  Messaging platforms (channels/README.md):
{platform_lines}
  Conversations are stored in {stack.state_dir / 'rasa.db'}; the API token is in var/secrets.env.
""", flush=True)
    while not stopping.wait(1.0):
        for name, process in list(stack.processes.items()):
            if process.poll() is not None:
                print(f"{name} stopped unexpectedly (code {process.returncode}); stopping everything", file=sys.stderr)
                stopping.set()
    print("stopping...", flush=True)
    stack.stop()
    print("stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
