"""What a MiniLM dense feature costs per message: the sentence model run on the message (numpy
encoder, batch size one) against the distilled word-piece vectors the default pipeline uses.

    python benchmarks/minilm_latency.py [--repeats 50]

Prints p50 and p95 in milliseconds for a short, a medium and a long message. Both are measured in the
same run, so compare the two columns, not the absolute times (the machines are shared). The whole
pipeline's parse latency, with and without the pieces, is in benchmarks/compare_pipelines.py.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlu_components import minilm  # noqa: E402

MESSAGES = {
    "short": "hes back",
    "medium": "my stepdad keeps hitting me when mum is at work and i dont want to go home",
    "long": " ".join(["i feel like nobody listens to me at home and my mum is always shouting at my little brother"] * 3),
}


def timings(call: Callable[[], object], repeats: int) -> List[float]:
    call()  # warm up
    spent = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def main(argv: Optional[List[str]] = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeats", type=int, default=50)
    opts = args.parse_args(argv)
    encoder, pieces = minilm.MiniLM(), minilm.PieceVectors.from_model()
    tokenizer = pieces.tokenizer
    print(f"{'message':8} {'tokens':>6} {'encoder p50':>11} {'p95':>6} {'pieces p50':>10} {'p95':>6} {'ratio p50':>9}")
    for name, text in MESSAGES.items():
        ids = np.array([tokenizer.encode(text).ids])
        full = timings(lambda: encoder.encode(ids), opts.repeats)
        cheap = timings(lambda: pieces.embed([text]), opts.repeats)
        print(f"{name:8} {ids.shape[1]:6d} {np.median(full):11.2f} {np.percentile(full, 95):6.2f} "
              f"{np.median(cheap):10.3f} {np.percentile(cheap, 95):6.3f} {np.median(full) / np.median(cheap):8.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
