"""Admit a helper's staged NLU file into data/nlu/ without anyone reading it (issue 8).

Fresh training lines come from writers who never saw the tests. Before they go in, a line is dropped
when it equals (after `normalise`) a held-out, evaluation or blind-batch message (blind batches must
stay unread, so only counts are printed), a line already trained on, another line of the same file,
an example phrase the writer was shown (the labelling guide's and any given with --avoid), or when it
holds a run of three or more digits (the catalogue test treats those as phone numbers or dates).
Intents that end up empty are left out, so `rasa data validate` sees no empty block.

    python scripts/admit_training_data.py STAGED.yml data/nlu/fresh_x.yml --header HEADER.txt [--avoid PHRASES.txt]
    python scripts/admit_training_data.py --prune

--prune is for when a new blind batch arrives: it removes from data/nlu/ every training line equal to a
test, evaluation or blind-batch message (the no-overlap test demands it), in place, and prints counts
per file only.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.nlu_quality import (  # noqa: E402
    BLIND_SETS, RESERVED_SETS, blind_messages, eval_messages, held_out_examples, normalise, read_nlu_file,
    training_examples)

DIGITS = re.compile(r"\d{3,}")
QUOTED = re.compile(r'"([^"]+)"')


def guide_examples() -> Set[str]:
    """Every quoted phrase in the labelling guide, which each writer is shown."""
    return {normalise(p) for p in QUOTED.findall((ROOT / "docs" / "intents.md").read_text())}


def kept_apart() -> Dict[str, Set[str]]:
    """Normalised texts a new training line must not equal, by why."""
    return {
        "test_or_evaluation": {normalise(t) for t, _ in held_out_examples()}
        | {normalise(m["text"]) for m in eval_messages()}
        | {normalise(m["text"]) for name in (*BLIND_SETS, *RESERVED_SETS) for m in blind_messages(name)},
        "already_trained": {normalise(t) for t, _ in training_examples()},
    }


def screen(examples: Iterable[Tuple[str, str]], apart: Dict[str, Set[str]], avoid: Set[str]
           ) -> Tuple[Dict[str, List[str]], Counter]:
    """The lines to keep, by intent, and how many were dropped for each reason."""
    kept: Dict[str, List[str]] = {}
    seen: Set[str] = set()
    dropped: Counter = Counter()
    for text, intent in examples:
        key = normalise(text)
        reason = next((why for why, texts in apart.items() if key in texts), None)
        if reason is None:
            reason = ("empty" if not key else "duplicate" if key in seen else "shown_to_writer" if key in avoid
                      else "digits" if DIGITS.search(text) else None)
        if reason:
            dropped[reason] += 1
            continue
        seen.add(key)
        kept.setdefault(intent, []).append(text)
    return kept, dropped


def render(kept: Dict[str, List[str]], header: str) -> str:
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.strip().splitlines())
    blocks = "".join(f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {t}\n" for t in texts)
                     for intent, texts in kept.items() if texts)
    return f'version: "3.1"\n{comments}nlu:\n{blocks}'


def prune(files: Iterable[Path], apart: Set[str]) -> Dict[str, int]:
    """Remove training lines equal to a kept-apart text from each file, in place; counts by file.
    An intent block whose examples are all removed is removed with them."""
    removed: Dict[str, int] = {}
    for path in files:
        blocks: List[List[str]] = [[]]  # whatever precedes the first intent, then one list per intent
        for line in path.read_text().splitlines(keepends=True):
            if line.startswith("- "):
                blocks.append([])
            blocks[-1].append(line)
        dropped = 0
        kept: List[str] = []
        for i, block in enumerate(blocks):
            examples = [line for line in block if line.startswith("    - ")]
            left = [line for line in block
                    if not (line.startswith("    - ") and normalise(line[len("    - "):]) in apart)]
            dropped += len(block) - len(left)
            if i == 0 or not examples or any(line.startswith("    - ") for line in left):
                kept.extend(left)
        if dropped:
            removed[path.name] = dropped
            path.write_text("".join(kept))
    return removed


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staged", type=Path, nargs="?")
    parser.add_argument("target", type=Path, nargs="?")
    parser.add_argument("--header", type=Path, help="who wrote it and how (becomes comments)")
    parser.add_argument("--avoid", type=Path, help="phrases shown to the writer in the brief, one a line")
    parser.add_argument("--prune", action="store_true", help="remove training lines equal to a kept-apart message")
    args = parser.parse_args(argv)
    if args.prune:
        removed = prune(sorted((ROOT / "data" / "nlu").glob("*.yml")), kept_apart()["test_or_evaluation"])
        print("removed: " + (", ".join(f"{name} {n}" for name, n in removed.items()) or "nothing"))
        return 0
    if not (args.staged and args.target and args.header):
        parser.error("STAGED, TARGET and --header are needed unless --prune")
    avoid = guide_examples() | ({normalise(p) for p in args.avoid.read_text().splitlines() if p.strip()}
                                if args.avoid else set())
    staged = read_nlu_file(args.staged)
    kept, dropped = screen(staged, kept_apart(), avoid)
    args.target.write_text(render(kept, args.header.read_text()))
    read_back = read_nlu_file(args.target)  # what Rasa will read: every kept line, nothing else
    assert len(read_back) == sum(map(len, kept.values())), "a kept line did not survive the YAML round trip"
    print(f"{args.staged.name}: {len(staged)} staged, {len(read_back)} admitted to {args.target}; dropped "
          + (", ".join(f"{why} {n}" for why, n in sorted(dropped.items())) or "none"))
    print("admitted by intent: " + ", ".join(f"{i} {len(t)}" for i, t in sorted(kept.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
