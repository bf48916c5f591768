"""python -m moderation index|rebuild [--db-url URL]

  index    read new events into the conversation summaries (safe to schedule, e.g. every minute)
  rebuild  recompute every summary from the stored events (reviews, tags and notes are kept)
"""
from __future__ import annotations

import argparse
import sys
import time

from moderation import index, tables


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moderation")
    parser.add_argument("command", choices=("index", "rebuild"))
    parser.add_argument("--db-url", default=None, help="default: SAFEGUARD_DB_URL")
    args = parser.parse_args(argv)
    engine = tables.get_engine(args.db_url)
    started = time.monotonic()
    count = index.rebuild(engine) if args.command == "rebuild" else index.refresh(engine)
    print(f"{args.command}: {count} conversation summaries written in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
