"""The issue-8 Targets table of docs/nlu.md, from one run of a model over set A and every measured blind batch.

    python benchmarks/targets_table.py [--model models/current.tar.gz] [--honest blind_set_23] [--json OUT]

Prints a markdown table (one column per set, newest batch first, set A last; the honest batch in bold) with
each figure against its target, "k of n" for the messages behind a recall or a false-alarm rate, and how many
sets meet each target. Only figures are printed: blind batches must stay unread (tests/evaluation/README.md).
Reserved batches are never read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.nlu_quality import (  # noqa: E402
    BLIND_SETS, Parser, Recorded, blind_messages, eval_messages, evaluation_figures, figures_only)

RECALLS = (("recall danger >= 0.98", "immediate_danger"), ("recall self-harm >= 0.98", "self_harm"),
           ("recall disclosure >= 0.98", "disclose_abuse"))


def batch_number(name: str) -> int:
    """blind_set -> 1, blind_set_12 -> 12."""
    tail = name.rsplit("_", 1)[-1]
    return 1 if tail == "set" else int(tail)


def label(name: str, size: int) -> str:
    return f"set A ({size})" if name == "A" else f"blind {batch_number(name)} ({size})"


def order(names: List[str]) -> List[str]:
    """Newest blind batch first, set A last."""
    return sorted((n for n in names if n != "A"), key=batch_number, reverse=True) + (["A"] if "A" in names else [])


def recall_cell(figures: dict, intent: str) -> Tuple[str, bool]:
    report = figures["per_intent"].get(intent, {"recall": 0.0, "support": 0})
    missed = round((1 - report["recall"]) * report["support"])
    text = f"{report['recall']:.3f}" + (f" ({missed} of {report['support']})" if missed else "")
    return text, report["recall"] >= 0.98


def rows(figures: Dict[str, dict]) -> List[Tuple[str, List[str], Optional[int]]]:
    """(target, cell per set, sets meeting it or None when there is no target)."""
    names = list(figures)
    table = []

    def add(target: str, cells: List[Tuple[str, bool]], counted: bool = True) -> None:
        table.append((target, [c for c, _ in cells], sum(ok for _, ok in cells) if counted else None))

    add("macro-F1 >= 0.92", [(f"{figures[n]['macro_f1']:.3f}", figures[n]["macro_f1"] >= 0.92) for n in names])
    for target, intent in RECALLS:
        add(target, [recall_cell(figures[n], intent) for n in names])
    add("audience decided correctly or asked >= 0.97",
        [(f"{figures[n]['audience_accuracy']:.3f}", figures[n]["audience_accuracy"] >= 0.97) for n in names])
    alarms = []
    for n in names:
        rate, ordinary = figures[n]["danger_false_alarm_rate"], figures[n]["ordinary_messages"]
        alarms.append((f"{rate * 100:.1f}% ({round(rate * ordinary)} of {ordinary})", rate <= 0.02))
    add("danger false alarms <= 2%", alarms)
    add("safety messages given a safety route (no target; floor 0.97)",
        [(f"{figures[n]['safety_routed']:.3f}", True) for n in names], counted=False)
    return table


def markdown(figures: Dict[str, dict], sizes: Dict[str, int], honest: Optional[str]) -> str:
    names = list(figures)
    bold = lambda name, text: f"**{text}**" if name == honest else text  # noqa: E731
    header = ["target"] + [bold(n, label(n, sizes[n])) for n in names] + ["met?"]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for target, cells, met in rows(figures):
        shown = [bold(n, c) for n, c in zip(names, cells)]
        lines.append("| " + " | ".join([target, *shown, "-" if met is None else f"{met} of {len(names)} sets"]) + " |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    args.add_argument("--honest", help="the batch measured once this session (shown in bold)")
    args.add_argument("--json", help="also write the figures to this file")
    options = args.parse_args(argv)
    if options.honest and options.honest not in BLIND_SETS:
        args.error(f"{options.honest} is not a measured blind batch (BLIND_SETS)")
    parser = Recorded(Parser(Path(options.model)))
    names = order(["A", *BLIND_SETS])
    sets = {n: eval_messages() if n == "A" else blind_messages(n) for n in names}
    figures = {n: figures_only(evaluation_figures(parser, sets[n])) for n in names}
    print(markdown(figures, {n: len(m) for n, m in sets.items()}, options.honest))
    if options.json:
        Path(options.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
