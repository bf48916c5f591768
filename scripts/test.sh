#!/usr/bin/env bash
# Every test: static checks, unit tests, NLU and conversation tests, end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false
.venv/bin/pip check
.venv/bin/python -m service_catalogue.build --check
.venv/bin/python -m pytest -p no:cacheprovider "$@"
