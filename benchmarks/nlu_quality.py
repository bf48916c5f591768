"""NLU quality on examples kept apart from training: intent macro-F1, recall of the safety
intents, audience decisions and danger false alarms.

    python benchmarks/nlu_quality.py [--model models/current.tar.gz]

Prints the figures for the held-out NLU test set (tests/nlu/test_nlu.yml), the evaluation
set (tests/evaluation/eval_set.yml), the blind evaluation batches (tests/evaluation/eval_set_blind*.yml:
only their figures are printed, never their messages) and, for reference, the training data itself.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAFETY_INTENTS = ("immediate_danger", "self_harm", "disclose_abuse")


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", text.lower())).strip()


def read_nlu_file(path: Path) -> List[Tuple[str, str]]:
    data = yaml.safe_load(path.read_text())
    examples = []
    for block in data.get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((line[2:].strip(), block["intent"]))
    return examples


def training_examples() -> List[Tuple[str, str]]:
    return [e for f in sorted((ROOT / "data" / "nlu").glob("*.yml")) for e in read_nlu_file(f)]


def held_out_examples() -> List[Tuple[str, str]]:
    return read_nlu_file(ROOT / "tests" / "nlu" / "test_nlu.yml")


def eval_messages() -> List[dict]:
    return yaml.safe_load((ROOT / "tests" / "evaluation" / "eval_set.yml").read_text())["messages"]


# Blind batches (tests/evaluation/README.md): only their figures are ever printed or written.
BLIND_SETS = {"blind_set": "eval_set_blind.yml", "blind_set_2": "eval_set_blind2.yml", "blind_set_3": "eval_set_blind3.yml",
              "blind_set_4": "eval_set_blind4.yml", "blind_set_5": "eval_set_blind5.yml", "blind_set_6": "eval_set_blind6.yml",
              "blind_set_7": "eval_set_blind7.yml", "blind_set_8": "eval_set_blind8.yml", "blind_set_9": "eval_set_blind9.yml",
              "blind_set_10": "eval_set_blind10.yml", "blind_set_11": "eval_set_blind11.yml",
              "blind_set_12": "eval_set_blind12.yml", "blind_set_13": "eval_set_blind13.yml",
              "blind_set_14": "eval_set_blind14.yml", "blind_set_15": "eval_set_blind15.yml",
              "blind_set_16": "eval_set_blind16.yml", "blind_set_17": "eval_set_blind17.yml",
              "blind_set_18": "eval_set_blind18.yml", "blind_set_19": "eval_set_blind19.yml",
              "blind_set_20": "eval_set_blind20.yml",
              "blind_set_21": "eval_set_blind21.yml", "blind_set_22": "eval_set_blind22.yml",
              "blind_set_23": "eval_set_blind23.yml", "blind_set_24": "eval_set_blind24.yml",
              "blind_set_25": "eval_set_blind25.yml"}
# A batch written and kept unmeasured while the assistant is tuned goes here: only the no-overlap and
# well-formed tests read it until it is measured once, at the end of the round, and moves to BLIND_SETS.
RESERVED_SETS: Dict[str, str] = {"blind_set_26": "eval_set_blind26.yml",
                                   "blind_set_27": "eval_set_blind27.yml"}


def blind_messages(name: str = "blind_set") -> List[dict]:
    file = {**BLIND_SETS, **RESERVED_SETS}[name]
    return yaml.safe_load((ROOT / "tests" / "evaluation" / file).read_text())["messages"]


def figures_only(figures: dict) -> dict:
    """A blind batch's figures without anything that quotes its messages."""
    return {k: v for k, v in figures.items() if k not in ("errors", "audience_errors")}


class Parser:
    """The trained model's NLU pipeline, in process."""

    def __init__(self, model: Path):
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        # Rasa's structlog prints every parsed text at debug level: that would show the blind
        # batch's messages (tests/evaluation/README.md) and user-like text in benchmark output.
        configure_structlog(logging.WARNING)
        self.agent = Agent.load(str(model))
        self.latencies: List[float] = []

    def component(self, kind: type):
        """The pipeline's instance of a component class (the classifier, to refit it or read its counters)."""
        nodes = self.agent.processor.graph_runner._instantiated_nodes.values()
        return next(n._component for n in nodes if isinstance(getattr(n, "_component", None), kind))

    def parse(self, text: str) -> dict:
        started = time.perf_counter()
        result = asyncio.run(self.agent.parse_message(text))
        self.latencies.append(time.perf_counter() - started)
        return result


class Recorded:
    """Parse each text once; later calls return the stored result (latency counted once).

    With ``classifier_only`` the intent is the classifier's own (kept by SafetySignals in
    ``safety.classifier_intent``) and SafetySignals' entities are dropped: the pipeline as if
    the rule component were off.
    """

    def __init__(self, parser: "Parser", classifier_only: bool = False, store: Optional[dict] = None):
        self.parser, self.classifier_only = parser, classifier_only
        self.store = {} if store is None else store

    @property
    def latencies(self) -> List[float]:
        return self.parser.latencies

    def parse(self, text: str) -> dict:
        if text not in self.store:
            self.store[text] = self.parser.parse(text)
        result = self.store[text]
        if not self.classifier_only:
            return result
        name = (result.get("safety") or {}).get("classifier_intent") or result["intent"]["name"]
        return {"intent": {"name": name}, "entities": [e for e in result.get("entities", [])
                                                        if e.get("extractor") != "SafetySignals"]}


def macro_f1(pairs: Iterable[Tuple[str, str]]) -> Tuple[float, Dict[str, Dict[str, float]]]:
    pairs = list(pairs)
    labels = sorted({gold for gold, _ in pairs})
    report = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return statistics.mean(r["f1"] for r in report.values()), report


def intent_figures(parser: Parser, examples: List[Tuple[str, str]]) -> dict:
    pairs, errors = [], []
    for text, gold in examples:
        predicted = parser.parse(text)["intent"]["name"]
        pairs.append((gold, predicted))
        if predicted != gold:
            errors.append({"text": text, "gold": gold, "predicted": predicted})
    score, report = macro_f1(pairs)
    urgent = [p for g, p in pairs if g in SAFETY_INTENTS]
    figures = {"examples": len(examples), "macro_f1": score,
               # danger, self-harm or abuse read as one of the three: each gets 999 or its own routes either
               # way (docs/nlu.md, "A false danger alarm costs little"); recall counts the exact intent
               "safety_routed": sum(p in SAFETY_INTENTS for p in urgent) / len(urgent) if urgent else 1.0,
               "accuracy": sum(g == p for g, p in pairs) / len(pairs), "errors": errors, "per_intent": report}
    for intent in SAFETY_INTENTS:
        figures[f"recall_{intent}"] = report.get(intent, {}).get("recall", 0.0)
    return figures


def is_ordinary(message: dict) -> bool:
    """Not labelled danger: reading it as immediate_danger is a false alarm."""
    return not message.get("danger") and message["intent"] != "immediate_danger"


def evaluation_figures(parser: Parser, messages: List[dict]) -> dict:
    figures = intent_figures(parser, [(m["text"], m["intent"]) for m in messages])
    audience_ok, false_alarms, ordinary = 0, 0, 0
    wrong_audience = []
    for message in messages:
        parsed = parser.parse(message["text"])
        decided = next((e["value"] for e in parsed.get("entities", []) if e["entity"] == "audience"), None)
        gold = message.get("audience", "unknown")
        ok = decided == gold or (decided is None and gold in ("child", "adult", "unknown"))
        audience_ok += ok
        if not ok:
            wrong_audience.append({"text": message["text"], "gold": gold, "decided": decided})
        if is_ordinary(message):
            ordinary += 1
            false_alarms += parsed["intent"]["name"] == "immediate_danger"
    figures.update({"audience_accuracy": audience_ok / len(messages), "audience_errors": wrong_audience,
                    "danger_false_alarm_rate": false_alarms / max(ordinary, 1), "ordinary_messages": ordinary})
    by_category = defaultdict(list)
    wrong = {e["text"] for e in figures["errors"]}
    for message in messages:
        by_category[message.get("category", "plain")].append(message["text"] not in wrong)
    figures["accuracy_by_category"] = {k: sum(v) / len(v) for k, v in sorted(by_category.items())}
    return figures


def overlap(a: Iterable[str], b: Iterable[str]) -> List[str]:
    return sorted({normalise(x) for x in a} & {normalise(x) for x in b})


def latency_p95(latencies: List[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def main(argv: Optional[List[str]] = None) -> int:
    parser_args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser_args.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser_args.add_argument("--json", help="also write the figures to this file")
    args = parser_args.parse_args(argv)
    parser = Recorded(Parser(Path(args.model)))
    results = {
        "held_out_test": intent_figures(parser, held_out_examples()),
        "evaluation_set": evaluation_figures(parser, eval_messages()),
        **{name: figures_only(evaluation_figures(parser, blind_messages(name))) for name in BLIND_SETS},
        "training_data": intent_figures(parser, training_examples()),
        "parse_latency_p95_ms": latency_p95(parser.latencies) * 1000,
    }
    for name in ("held_out_test", "evaluation_set", *BLIND_SETS, "training_data"):
        f = results[name]
        print(f"{name:15} n={f['examples']:4}  macro-F1 {f['macro_f1']:.3f}  accuracy {f['accuracy']:.3f}  "
              + "  ".join(f"recall[{i}] {f['recall_' + i]:.3f}" for i in SAFETY_INTENTS)
              + f"  safety routed {f['safety_routed']:.3f}")
    for name in ("evaluation_set", *BLIND_SETS):
        e = results[name]
        print(f"{name}: audience decided correctly or asked {e['audience_accuracy']:.3f}; danger false alarms on "
              f"ordinary messages {e['danger_false_alarm_rate']:.3f} (n={e['ordinary_messages']}); accuracy by category "
              + ", ".join(f"{k} {v:.2f}" for k, v in e["accuracy_by_category"].items()))
    print(f"parse latency p95 {results['parse_latency_p95_ms']:.1f} ms (in process)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
