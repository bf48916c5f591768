"""Admit a helper's staged NLU file into data/nlu/ without anyone reading it (issue 8).

Fresh training lines come from writers who never saw the tests. Before they go in, a line is dropped
when it equals (after `normalise`) a held-out, evaluation or blind-batch message (blind batches must
stay unread, so only counts are printed), a line already trained on, another line of the same file,
an example phrase the writer was shown (the labelling guide's and any given with --avoid), when it
holds a run of three or more digits (the catalogue test treats those as phone numbers or dates), or when it
holds words of another language (`OtherLanguage`: UnknownWordsGate learns every trained word, so one
Spanish sentence among the training lines would let Spanish messages past it).
Intents that end up empty are left out, so `rasa data validate` sees no empty block.

    python scripts/admit_training_data.py STAGED.yml data/nlu/fresh_x.yml --header HEADER.txt [--avoid PHRASES.txt]
    python scripts/admit_training_data.py --prune

--prune is for when a new blind batch arrives: it removes from data/nlu/ every training line equal to a
test, evaluation or blind-batch message (the no-overlap test demands it), in place, and prints counts
per file only.
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Set, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.nlu_quality import (  # noqa: E402
    BLIND_SETS, RESERVED_SETS, blind_messages, eval_messages, held_out_examples, normalise, read_nlu_file,
    training_examples)
from nlu_components import minilm  # noqa: E402
from nlu_components.vocabulary import words  # noqa: E402

DIGITS = re.compile(r"\d{3,}")
QUOTED = re.compile(r'"([^"]+)"')
# Languages written in Latin letters whose function words spaCy ships (spacy.lang.XX.stop_words; nothing is
# fetched). A writer asked for "mixed" or "learner" English once put Spanish and Polish sentences among
# English lines, and the unknown-words gate then let Spanish and French messages through (eleventh session).
OTHER_LANGUAGES = ("cs", "de", "es", "fr", "hu", "id", "it", "lt", "lv", "nl", "pl", "pt", "ro", "sk", "sq", "tl", "tr")


class OtherLanguage:
    """Finds the words of a line that are function words of another language and not known English.

    A word counts when it is on another language's stop-word list and is neither an English stop word nor
    a word of the training data. A line is refused when one such word is not even a whole word piece of
    MiniLM's English vocabulary ("jestem", "eres", "estoy"), or when it holds two of them ("con una"): a
    single "que" or "pas" may be English slang or a name, two rarely are."""

    def __init__(self, known: Set[str], english_pieces: Set[str]) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS as english

        listed: Set[str] = set()
        for code in OTHER_LANGUAGES:
            listed |= set(importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)
        self.foreign = {w for w in listed if re.fullmatch(r"[a-z]{2,}", w)} - set(english) - known
        self.english_pieces = english_pieces

    @classmethod
    def against_training_data(cls) -> "OtherLanguage":
        tokenizer = json.loads((minilm.MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))
        return cls({w for text, _ in training_examples() for w in words(text)}, set(tokenizer["model"]["vocab"]))

    def __call__(self, text: str) -> bool:
        found = [w for w in words(text) if w in self.foreign]
        return len(found) >= 2 or any(w not in self.english_pieces for w in found)


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


def screen(examples: Iterable[Tuple[str, str]], apart: Dict[str, Set[str]], avoid: Set[str],
           other_language: Callable[[str], bool] = lambda text: False) -> Tuple[Dict[str, List[str]], Counter]:
    """The lines to keep, by intent, and how many were dropped for each reason."""
    kept: Dict[str, List[str]] = {}
    seen: Set[str] = set()
    dropped: Counter = Counter()
    for text, intent in examples:
        key = normalise(text)
        reason = next((why for why, texts in apart.items() if key in texts), None)
        if reason is None:
            reason = ("empty" if not key else "duplicate" if key in seen else "shown_to_writer" if key in avoid
                      else "digits" if DIGITS.search(text) else "other_language" if other_language(text) else None)
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
    kept, dropped = screen(staged, kept_apart(), avoid, OtherLanguage.against_training_data())
    args.target.write_text(render(kept, args.header.read_text()))
    read_back = read_nlu_file(args.target)  # what Rasa will read: every kept line, nothing else
    assert len(read_back) == sum(map(len, kept.values())), "a kept line did not survive the YAML round trip"
    print(f"{args.staged.name}: {len(staged)} staged, {len(read_back)} admitted to {args.target}; dropped "
          + (", ".join(f"{why} {n}" for why, n in sorted(dropped.items())) or "none"))
    print("admitted by intent: " + ", ".join(f"{i} {len(t)}" for i, t in sorted(kept.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
