"""Moderators' list, filters, deep keyset pages and search over 100,000 conversations in PostgreSQL.

Creates a fresh database on 127.0.0.1:5432 (user postgres), seeds Rasa's ``events`` table with
synthetic redacted conversations (COPY), builds the summary index with the real indexer
(``moderation.index.rebuild``), then times each query the console runs and prints p50 / p95.
The database is dropped at the end.

    .venv/bin/python benchmarks/moderation.py [--conversations 100000] [--runs 30] [--keep]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg2  # noqa: E402
from sqlalchemy import text  # noqa: E402

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
ROUTES = ["999", "childline", "nspcc_helpline", "samaritans", "shout", "report_remove", "ceop", "iwf", "stop_it_now",
          "whistleblowing"]
PHRASES = ["i dont know what to do", "my step dad hits me", "someone sent me pictures", "i want to talk to someone",
           "my name is <NAME> and i go to <SCHOOL>", "call me on <PHONE>", "i feel like hurting myself",
           "im worried about my friend", "hello", "what is this", "i live at <ADDRESS>", "thank you"]
INTENTS = [("disclose_abuse", 0.9), ("immediate_danger", 1.0), ("self_harm", 0.93), ("need_to_talk", 0.8),
           ("nlu_fallback", 0.31), ("concern_for_child", 0.86), ("greet", 0.99), ("nude_image_shared", 0.91)]


def conversation(rng: random.Random, sender: str, start: float):
    """Events (type_name, timestamp, intent_name, action_name, data) of one synthetic conversation."""
    out, t = [], start

    def add(event, intent=None, action=None):
        nonlocal t
        t += rng.uniform(1, 40)
        event["timestamp"] = t
        out.append((sender, event["event"], t, intent, action, json.dumps(event)))

    add({"event": "action", "name": "action_session_start"}, action="action_session_start")
    add({"event": "session_started"})
    add({"event": "action", "name": "action_listen"}, action="action_listen")
    for turn in range(rng.randint(1, 4)):
        intent, confidence = rng.choice(INTENTS)
        text_ = rng.choice(PHRASES)
        flags = [{"entity": "safety_flag", "value": "danger"}] if intent == "immediate_danger" else []
        add({"event": "user", "text": text_, "parse_data": {"text": text_, "intent": {"name": intent, "confidence": confidence},
                                                              "entities": flags}}, intent=intent)
        if turn == 0 and rng.random() < 0.6:
            add({"event": "action", "name": "action_ask_audience"}, action="action_ask_audience")
            add({"event": "bot", "text": "Are you under 18?", "metadata": {}})
            if rng.random() < 0.15:
                return out  # left at the audience question
            add({"event": "slot", "name": "audience", "value": rng.choice(["child", "adult"])})
        if intent == "nlu_fallback":
            add({"event": "action", "name": "utter_rephrase"}, action="utter_rephrase")
            add({"event": "bot", "text": "Sorry, I didn't understand that.", "metadata": {"utter_action": "utter_rephrase"}})
            continue
        for route in rng.sample(ROUTES, rng.randint(1, 2)):
            name = f"utter_route_{route}"
            add({"event": "action", "name": name}, action=name)
            add({"event": "bot", "text": f"You can contact {route}.", "metadata": {"utter_action": name}})
        if rng.random() < 0.05:
            add({"event": "slot", "name": "handoff_status", "value": "queued"})
        add({"event": "action", "name": "action_listen"}, action="action_listen")
    return out


def seed(dsn: str, count: int, rng: random.Random) -> int:
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) "
                "NOT NULL, timestamp DOUBLE PRECISION, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")
    cur.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")  # as Rasa creates it
    now, total = time.time(), 0
    for start in range(0, count, 10_000):
        buffer = io.StringIO()
        for i in range(start, min(count, start + 10_000)):
            for row in conversation(rng, f"{rng.getrandbits(64):016x}{i:06d}", now - rng.uniform(0, 60 * 86400)):
                buffer.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t")
                                       .replace("\n", "\\n") for v in row) + "\n")
                total += 1
        buffer.seek(0)
        cur.copy_from(buffer, "events", columns=("sender_id", "type_name", "timestamp", "intent_name", "action_name",
                                                 "data"))
        conn.commit()
    cur.execute("ANALYZE events")
    conn.commit()
    conn.close()
    return total


def timed(fn, runs: int):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    args = parser.parse_args()
    name = f"moderation_bench_{os.getpid()}"
    admin = psycopg2.connect(ADMIN_DSN)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        return run(url, f"host=127.0.0.1 port=5432 user=postgres dbname={name}", args)
    finally:
        from handoff import db as handoff_db
        handoff_db.dispose_all()
        if not args.keep:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(url: str, dsn: str, args) -> int:
    from moderation import export, index, queries, tables

    rng = random.Random(5)
    started = time.monotonic()
    events = seed(dsn, args.conversations, rng)
    print(f"seeded {args.conversations} conversations, {events} events rows in {time.monotonic() - started:.1f} s")
    engine = tables.get_engine(url)
    started = time.monotonic()
    built = index.rebuild(engine)
    print(f"built the summary index ({built} summary writes, overlapping batches included) in {time.monotonic() - started:.1f} s")
    with engine.begin() as conn:
        conn.execute(text("ANALYZE moderation_conversations"))
        ids = [r[0] for r in conn.execute(text("SELECT conversation_id FROM moderation_conversations "
                                               "ORDER BY random() LIMIT 2000"))]
    # mark a quarter reviewed, tag some
    with engine.begin() as conn:
        conn.execute(text("UPDATE moderation_conversations SET reviewed_at = last_at + 60, reviewed_by = 'mod' "
                          "WHERE md5(conversation_id) < '4'"))
        conn.execute(text("ANALYZE moderation_conversations"))
    from moderation import review
    for cid in ids[:500]:
        review.add_tag(cid, "wrong route", "mod", engine)

    # a cursor half-way down the full list (the 50,000th conversation), as a moderator paging on would hold
    with engine.connect() as conn:
        middle = conn.execute(text("SELECT last_at, conversation_id FROM moderation_conversations "
                                   "ORDER BY last_at DESC, conversation_id DESC OFFSET :n LIMIT 1"),
                              {"n": args.conversations // 2}).first()
    deep = queries.encode_cursor(middle[0], middle[1])
    old_day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 40 * 86400))
    cases = [
        ("first page, no filter", {}),
        ("deep page (50,000th) via keyset", {"after": deep}),
        ("date range (10 days)", {"from": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 50 * 86400)),
                                  "to": old_day}),
        ("audience=child", {"audience": "child"}),
        ("audience=unknown", {"audience": "unknown"}),
        *[(f"flag={flag}", {"flag": [flag]}) for flag in queries.FLAG_FILTERS],
        ("flag=danger + audience=child", {"flag": ["danger"], "audience": "child"}),
        ("route=childline", {"route": "childline"}),
        ("route=whistleblowing, deep page", {"route": "whistleblowing", "after": deep}),
        ("reviewed=no", {"reviewed": "no"}),
        ("reviewed=yes", {"reviewed": "yes"}),
        ("tag='wrong route'", {"tag": "wrong route"}),
        ("search 'hurting myself'", {"q": "hurting myself"}),
        ("search '<school>'", {"q": "<school>"}),
        ("search no match 'zebra crossing'", {"q": "zebra crossing"}),
        ("search + flag=danger + audience=adult", {"q": "step dad", "flag": ["danger"], "audience": "adult"}),
    ]
    print(f"\n{'query (page of 50)':44} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8}   ({args.runs} runs each)")
    for label, params in cases:
        f = queries.Filters.parse(params)
        rows, _ = queries.page(f, engine)
        p50, p95 = timed(lambda: queries.page(f, engine), args.runs)
        print(f"{label:44} {len(rows):5d} {p50:8.1f} {p95:8.1f}")
    view = lambda: (index.refresh_one(ids[rng.randrange(len(ids))], engine))
    p50, p95 = timed(view, args.runs)
    print(f"{'open one conversation (events + summary)':44} {'':5} {p50:8.1f} {p95:8.1f}")
    p50, p95 = timed(lambda: index.refresh(engine), args.runs)
    print(f"{'refresh with nothing new':44} {'':5} {p50:8.1f} {p95:8.1f}")
    f = queries.Filters.parse({"flag": ["danger"], "audience": "child"})
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in export.jsonl_chunks(f, engine))
    matched = sum(len(batch) for batch in queries.iterate(f, engine))
    print(f"\nexport JSON Lines of flag=danger+audience=child: {matched} conversations, {size / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
