"""Rasa's own checks: the training data validates, and the conversation tests pass with
--fail-on-prediction-errors against the trained model."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3", RASA_TELEMETRY_ENABLED="false")
# Warnings we accept, with the reason:
ACCEPTED = (
    # responses used only from custom actions (the validator cannot see inside actions)
    "is not used in any story or rule",
    # 'utter_default' is Rasa's own fallback response
    "utter_default",
)


def rasa(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=timeout)


def test_rasa_data_validate_has_no_warnings_that_matter():
    result = rasa("data", "validate", "--domain", "domain.yml", "--data", "data", "--config", "config.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [line for line in output.splitlines() if "UserWarning" in line or "warning" in line.lower()]
    warnings = [w for w in warnings if "Deprecat" not in w and "pkg_resources" not in w and "declare_namespace" not in w
                and "SQLALCHEMY" not in w.upper() and "tensorflow" not in w.lower()]
    mattering = [w for w in warnings if not any(a in w for a in ACCEPTED)]
    assert not mattering, "\n".join(mattering)


def test_conversation_tests_pass(model_path, tmp_path):
    result = rasa("test", "core", "--model", str(model_path), "--stories", "tests/conversations/test_stories.yml",
                  "--fail-on-prediction-errors", "--out", str(tmp_path), "--endpoints", "tests/conversations/endpoints.yml")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
