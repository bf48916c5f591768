"""Train the model only when the training data, domain, config or NLU components changed.

The model is models/current.tar.gz; models/current.fingerprint holds the hash of its inputs.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
FINGERPRINT = ROOT / "models" / "current.fingerprint"
# Only what changes the trained weights: rule-based components (SafetySignals) are loaded from their
# code at run time; the trained ones and the normalisation their features use are inputs.
INPUTS = ["config.yml", "domain.yml", "data", "nlu_components/linear.py", "nlu_components/vocabulary.py",
          "nlu_components/textnorm.py", "nlu_components/minilm.py", "scripts/install_minilm.sh"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for entry in INPUTS:
        path = ROOT / entry
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def main() -> int:
    (ROOT / "models").mkdir(exist_ok=True)
    with open(ROOT / "models" / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one training at a time on this machine
        return _train()


def _train() -> int:
    subprocess.run([sys.executable, "-m", "service_catalogue.build"], cwd=ROOT, check=True)
    wanted = fingerprint()
    if MODEL.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == wanted:
        print(f"model is up to date: {MODEL.relative_to(ROOT)}")
        return 0
    print("training the model (about 10 minutes on 2 cores)...", flush=True)
    started = time.monotonic()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--fixed-model-name", "current", "--out", "models",
         "--config", "config.yml", "--domain", "domain.yml", "--data", "data"],
        cwd=ROOT, env=env,
    )
    if result.returncode != 0:
        print("training failed", file=sys.stderr)
        return result.returncode
    FINGERPRINT.write_text(wanted + "\n")
    print(f"trained in {time.monotonic() - started:.0f} s: {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
