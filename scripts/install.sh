#!/usr/bin/env bash
# Build the project's virtual environment from the lock file, check it, and install the
# front-end packages from their lock files. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=$(bash scripts/find_python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)'; then
  echo "creating .venv with $PYTHON"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
echo "installing Python packages from requirements.lock (first time: a few minutes)..."
.venv/bin/pip install --quiet --disable-pip-version-check pip==24.0
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
.venv/bin/pip check
for dir in webchat tests/browser; do
  if [ -f "$dir/package-lock.json" ]; then
    echo "installing npm packages in $dir (npm ci)..."
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
  fi
done
if [ -f scripts/install_system.sh ]; then bash scripts/install_system.sh; fi
mkdir -p var
bash scripts/install_minilm.sh
echo "install: done"
