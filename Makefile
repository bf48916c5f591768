# Two commands do everything on a fresh machine:
#   make run    install, train if needed, start every service (Ctrl-C stops them all)
#   make test   install, train if needed, run every test
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install train domain purge bench clean

run: install train
	@$(PY) scripts/run.py

test: install train
	@bash scripts/test.sh

install: $(STAMP)

$(STAMP): requirements.lock scripts/install.sh $(wildcard webchat/package-lock.json) $(wildcard tests/browser/package-lock.json)
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

clean:
	rm -rf $(VENV) models/current.* results
