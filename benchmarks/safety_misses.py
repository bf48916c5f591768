"""Where the safety messages still go: counts of misses and false alarms, never a message.

    python benchmarks/safety_misses.py [--model models/current.tar.gz]

Over set A and the measured blind batches (never a reserved one), counts each danger, self-harm or abuse
message read as something else by (labelled intent, read as, source, rank of the labelled intent in the
ranking), and each false danger alarm by (labelled intent, source). The source is "rules" when SafetySignals
changed the classifier's intent (``safety.classifier_intent``) and "classifier" otherwise. Messages of the
blind batches must stay unread (tests/evaluation/README.md), so only counts are printed; the twelfth session
chose the sentence model's safety gate from this breakdown (docs/nlu.md). Last, how many danger messages the
rules find on their own and how many others they call danger: the part of the decision the classifier cannot lose.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.nlu_quality import (  # noqa: E402
    BLIND_SETS, SAFETY_INTENTS, Parser, Recorded, blind_messages, eval_messages, is_ordinary)
from nlu_components.signals import detect  # noqa: E402

DANGER = "immediate_danger"


def source(parsed: dict) -> str:
    own = (parsed.get("safety") or {}).get("classifier_intent")
    return "rules" if own and own != parsed["intent"]["name"] else "classifier"


def gold_rank(parsed: dict, gold: str) -> Optional[int]:
    """1 for the top of the ranking; None when the labelled intent is not ranked at all."""
    names = [entry["name"] for entry in parsed.get("intent_ranking") or []]
    return names.index(gold) + 1 if gold in names else None


def count(parser, messages: Iterable[dict]) -> Tuple[Counter, Counter]:
    """(misses by (gold, read as, source, rank of gold), false alarms by (gold, source))."""
    misses, alarms = Counter(), Counter()
    for message in messages:
        parsed = parser.parse(message["text"])
        gold, read = message["intent"], parsed["intent"]["name"]
        if gold in SAFETY_INTENTS and read != gold:
            misses[(gold, read, source(parsed), gold_rank(parsed, gold))] += 1
        if is_ordinary(message) and read == DANGER:
            alarms[(gold, source(parsed))] += 1
    return misses, alarms


def rules_alone(detect: Callable[[str], object], messages: Iterable[dict]) -> Tuple[int, int, int, int]:
    """(danger messages the rules find, danger messages, others the rules call danger, others): the rules are the
    part of the danger decision that does not depend on the classifier (nlu_components/safety.py)."""
    found = total = fired = others = 0
    for message in messages:
        danger = bool(detect(message["text"]).danger)
        if message["intent"] == DANGER:
            total, found = total + 1, found + danger
        elif is_ordinary(message):
            others, fired = others + 1, fired + danger
    return found, total, fired, others


def report(misses: Counter, alarms: Counter) -> List[str]:
    safety_read = sum(n for (gold, read, *_), n in misses.items() if read in SAFETY_INTENTS)
    lines = [f"safety messages missed: {sum(misses.values())} ({safety_read} read as another safety intent, "
             f"which still gets 999 or its own routes)",
             "labelled            read as              source      rank  count"]
    for (gold, read, src, rank), n in sorted(misses.items(), key=lambda item: (-item[1], item[0][:3])):
        lines.append(f"{gold:19} {read:20} {src:11} {rank if rank else '-':>4}  {n:5}")
    lines.append(f"false danger alarms: {sum(alarms.values())}")
    for (gold, src), n in sorted(alarms.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{gold:40} {src:11} {n:5}")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    model = args.parse_args(argv).model
    parser = Recorded(Parser(Path(model)))
    messages = eval_messages() + [m for name in BLIND_SETS for m in blind_messages(name)]
    print(f"set A and blind batches {', '.join(BLIND_SETS)}: {len(messages)} messages")
    print("\n".join(report(*count(parser, messages))))
    found, total, fired, others = rules_alone(detect, messages)
    print(f"the rules alone find danger in {found} of {total} danger messages and call {fired} of {others} others danger")
    return 0


if __name__ == "__main__":
    sys.exit(main())
