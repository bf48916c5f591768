"""Five-fold cross-validation over the training data (data/nlu): how often the full NLU pipeline
(classifier + SafetySignals) gets a training line right when the classifier never saw it.

    python benchmarks/cross_validate.py [--misses] [--folds 5]

The evaluation sets measure generalisation; this shows *which kinds* of safety messages the model
cannot learn from the rest of the data, so they can be read (they are training lines, not test
lines) and turned into rules or briefs for new data. Prints recall per safety intent and accuracy;
with --misses, every missed danger / self-harm / disclosure line with what it became.
Refits the loaded model's classifier in memory, fold by fold (about a minute a fold on 2 cores).
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.nlu_quality import SAFETY_INTENTS, Parser, training_examples  # noqa: E402


def folds_of(examples, count: int, seed: int = 7) -> List[list]:
    """Stratified: each intent's lines dealt round the folds after a seeded shuffle."""
    by_intent = defaultdict(list)
    for example in examples:
        by_intent[example[1]].append(example)
    folds = [[] for _ in range(count)]
    rng = random.Random(seed)
    for intent in sorted(by_intent):
        lines = by_intent[intent]
        rng.shuffle(lines)
        for index, example in enumerate(lines):
            folds[index % count].append(example)
    return folds


def main(argv: Optional[List[str]] = None) -> int:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.linear import LinearIntentClassifier

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    args.add_argument("--folds", type=int, default=5)
    args.add_argument("--misses", action="store_true", help="print the missed safety lines")
    options = args.parse_args(argv)
    parser = Parser(Path(options.model))
    classifier = parser.component(LinearIntentClassifier)
    folds = folds_of(training_examples(), options.folds)
    results = []
    for index, held in enumerate(folds):
        rest = [Message(data={"text": t, "intent": i}) for k, fold in enumerate(folds) if k != index for t, i in fold]
        classifier.fit(rest)
        results += [(text, gold, parser.parse(text)["intent"]["name"]) for text, gold in held]
    right = sum(gold == got for _, gold, got in results)
    print(f"{options.folds}-fold cross-validation over {len(results)} training lines: accuracy {right / len(results):.3f}")
    for intent in SAFETY_INTENTS:
        lines = [r for r in results if r[1] == intent]
        missed = [r for r in lines if r[2] != intent]
        print(f"  {intent:17} n={len(lines):4}  recall {1 - len(missed) / len(lines):.3f}")
        for text, _, got in missed if options.misses else []:
            print(f"    -> {got:20} {text[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
