# Two commands do everything on a fresh machine:
#   make run    install, train if needed, start every service (Ctrl-C stops them all)
#   make test   install, train if needed, run every test
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install train domain purge bench clean run-scaled bench-load

run: install train
	@$(PY) scripts/run.py

test: install train
	@bash scripts/test.sh

install: $(STAMP)

$(STAMP): requirements.lock scripts/install.sh scripts/install_minilm.sh $(wildcard webchat/package-lock.json) $(wildcard tests/browser/package-lock.json)
	@bash scripts/install.sh
	@touch $(STAMP)

train: install
	@$(PY) scripts/train_if_needed.py

domain: install
	@$(PY) -m service_catalogue.build

purge: install
	@$(PY) -m redaction.retention purge

bench: install train
	@$(PY) benchmarks/assistant.py

# Scaled-out profile (docs/scaling.md): RASA_REPLICAS Rasa processes on PostgreSQL + Redis.
run-scaled: install train
	@PYTHONPATH=$(CURDIR) $(PY) -m scaled.run

# Load benchmark against a `rasa init` baseline (heavy: several minutes of both cores; not in make test).
bench-load: install train
	@set -o pipefail; PYTHONPATH=$(CURDIR) $(PY) benchmarks/load.py | tee benchmarks/results/load.txt

clean:
	rm -rf $(VENV) models/current.* results
