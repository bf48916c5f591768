"""Redaction benchmark: recall on planted identifiers, share of ordinary words left intact, time per message.

    .venv/bin/python benchmarks/redaction.py [--corpus tests/redaction/corpus.yml] [--misses]

Recall: an identifier counts as caught when none of its characters' words survive in the redacted
text (its exact value is gone and no 3+ character word of it is left). Intact: every word of a
message outside its planted identifiers is counted, and is intact when it is still in the redacted
text. Time: mean and p95 per message of an uncached redaction (the analyzer built beforehand).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redaction.redactor import Redactor  # noqa: E402

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")


def load(path: Path) -> List[Dict]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["messages"]


PLACEHOLDER = re.compile(r"<[A-Z_]+>")


def caught(value: str, redacted: str) -> bool:
    redacted = PLACEHOLDER.sub(" ", redacted)
    if value.lower() in redacted.lower():
        return False
    left = Counter(w.lower() for w in WORD.findall(redacted))
    return not any(left[w.lower()] for w in WORD.findall(value) if len(w) >= 3 and not w.isdigit() or
                   (w.isdigit() and len(w) >= 3 and w in redacted))


def ordinary_words(message: Dict) -> List[str]:
    text = message["text"]
    for identifier in message["identifiers"]:
        text = text.replace(identifier["value"], " ")
    return [w.lower() for w in WORD.findall(text)]


def run(corpus: Path, show_misses: bool) -> Dict[str, float]:
    messages = load(corpus)
    started = time.perf_counter()
    redactor = Redactor()
    build_seconds = time.perf_counter() - started
    total = hits = kept = words = 0
    per_type = defaultdict(lambda: [0, 0])
    timings = []
    misses, damaged = [], []
    for message in messages:
        t0 = time.perf_counter()
        redacted, _ = redactor._redact_uncached(message["text"])
        timings.append((time.perf_counter() - t0) * 1000)
        for identifier in message["identifiers"]:
            ok = caught(identifier["value"], redacted)
            total += 1
            hits += ok
            per_type[identifier["type"]][0] += ok
            per_type[identifier["type"]][1] += 1
            if not ok:
                misses.append((identifier["type"], identifier["value"], redacted))
        left = Counter(w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", redacted)))
        for word in ordinary_words(message):
            words += 1
            if left[word] > 0:
                kept += 1
                left[word] -= 1
            else:
                damaged.append((word, message["text"], redacted))
    recall, intact = hits / total, kept / words
    print(f"corpus: {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus} "
          f"({len(messages)} messages, {sum(1 for m in messages if m['identifiers'])} with identifiers)")
    print(f"recall on identifiers: {recall:.4f} ({hits}/{total})")
    for kind, (ok, n) in sorted(per_type.items()):
        print(f"  {kind:<14} {ok}/{n}")
    print(f"ordinary words intact: {intact:.4f} ({kept}/{words})")
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    print(f"time per message: mean {statistics.mean(timings):.2f} ms, p95 {p95:.2f} ms, "
          f"max {max(timings):.2f} ms (analyzer built in {build_seconds:.1f} s)")
    if show_misses:
        for kind, value, redacted in misses:
            print(f"MISS {kind}: {value!r} -> {redacted!r}")
        for word, text, redacted in damaged:
            print(f"DAMAGED {word!r}: {text!r} -> {redacted!r}")
    return {"recall": recall, "intact": intact, "mean_ms": statistics.mean(timings), "p95_ms": p95}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "redaction" / "corpus.yml")
    parser.add_argument("--misses", action="store_true", help="list missed identifiers and damaged words")
    args = parser.parse_args()
    run(args.corpus.resolve(), args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
