"""The set-up scripts: secrets are generated once and kept, the Python finder explains itself,
and `make run`'s entry point imports (a module named like the standard library broke it once)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import secret_store

ROOT = Path(__file__).resolve().parents[2]


def test_secrets_are_generated_once_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(secret_store, "SECRETS_FILE", tmp_path / "secrets.env")
    for name in secret_store.NAMES:
        monkeypatch.delenv(name, raising=False)
    first = secret_store.load()
    assert all(len(first[name]) >= 32 for name in secret_store.NAMES)
    assert stat.S_IMODE(os.stat(tmp_path / "secrets.env").st_mode) == 0o600
    assert secret_store.load() == first


def test_a_secret_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(secret_store, "SECRETS_FILE", tmp_path / "secrets.env")
    monkeypatch.setenv("RASA_API_TOKEN", "from-the-environment")
    assert secret_store.load()["RASA_API_TOKEN"] == "from-the-environment"


def test_run_script_starts_from_its_own_folder_without_shadowing_the_standard_library():
    result = subprocess.run([sys.executable, "-c", "import runpy, sys; sys.argv=['x']; "
                             "sys.path.insert(0, 'scripts'); import secrets; assert hasattr(secrets, 'token_urlsafe')"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_python_finder_names_a_python_310_or_says_what_to_install(tmp_path):
    found = subprocess.run(["bash", "scripts/find_python.sh"], cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0 and "3.10" in subprocess.run([found.stdout.strip(), "--version"],
                                                             capture_output=True, text=True).stdout
    empty = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no pyenv, no python3.10
    missing = subprocess.run(["/bin/bash", "scripts/find_python.sh"], cwd=ROOT, capture_output=True, text=True, env=empty)
    assert missing.returncode == 1 and "pyenv install 3.10" in missing.stderr


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--even-two", "plain_token"])
def test_a_generated_api_token_reaches_rasa_whatever_its_first_character(tmp_path, token):
    # secrets.token_urlsafe starts with "-" once in 64 tokens; passed as a separate argument, argparse took
    # it for an option and Rasa refused to start ("expected one argument")
    from rasa.__main__ import create_argument_parser

    from scripts.stack import Stack

    stack = Stack(state_dir=tmp_path, token=token, with_console=False, with_webchat=False, with_actions=False)
    command = stack.commands()["rasa"]
    parsed = create_argument_parser().parse_args(command[command.index("run"):])
    assert parsed.auth_token == token
