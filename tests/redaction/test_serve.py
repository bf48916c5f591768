"""Start-up check: Rasa is not started unless the redacting store is the one in use."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from redaction.serve import StoreRefused, check_store
from tests.redaction.helpers import ROOT


def _endpoints(tmp_path, body: str):
    path = tmp_path / "endpoints.yml"
    path.write_text(body)
    return str(path)


def test_the_project_endpoints_pass(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_SQLITE_PATH", str(tmp_path / "rasa.db"))
    monkeypatch.setenv("ACTIONS_PORT", "5055")
    store = check_store(str(ROOT / "endpoints.yml"))
    assert type(store).__name__ == "RedactingSQLTrackerStore"
    store.engine.dispose()


@pytest.mark.parametrize("body, reason", [
    ("tracker_store:\n  type: redaction.store.NoSuchStore\n  db: x.db\n", "cannot be imported"),
    ("tracker_store:\n  type: redaction_typo.store.RedactingSQLTrackerStore\n", "cannot be imported"),
    ("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: x.db\n", "does not redact"),
    ("tracker_store:\n  type: rasa.core.tracker_store.InMemoryTrackerStore\n", "does not redact"),
    ("action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n", "no tracker_store"),
    ("tracker_store:\n  type: redaction.store.RedactingSQLTrackerStore\n  dialect: sqlite\n  db: /nonexistent/dir/x.db\n",
     "failed to start"),
    ("tracker_store: [unclosed\n", "cannot read"),
])
def test_broken_store_configurations_are_refused(tmp_path, body, reason):
    with pytest.raises(StoreRefused, match=reason):
        check_store(_endpoints(tmp_path, body))


def test_the_launcher_exits_non_zero_before_starting_rasa(tmp_path):
    endpoints = _endpoints(tmp_path, "tracker_store:\n  type: redaction.store.Missing\n")
    result = subprocess.run(
        [sys.executable, "-m", "redaction.serve", "run", "--endpoints", endpoints, "--port", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 2
    assert "refusing to start" in result.stderr and "redaction.store.Missing" in result.stderr
