# omega-webhooks: the commands the README documents.
#   make test     every check and test in every language (what CI runs)
#   make codegen  regenerate schemas/ from the Rust models
#   make lint     rustfmt and clippy
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV   := .venv
PYTHON := $(VENV)/bin/python
CARGO  ?= cargo

.PHONY: test lint codegen codegen-check test-rust test-schemas clean

test: lint codegen-check test-rust test-schemas

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

codegen:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen

codegen-check:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen -- --check

test-rust:
	$(CARGO) test --workspace --locked

test-schemas: $(VENV)/.installed node_modules/.installed
	$(PYTHON) -m pytest -q tests/schemas
	node --test tests/schemas/

# The project's Python tools, in its own virtualenv, from requirements-dev.txt.
$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The project's Node tools, exactly as locked in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	$(CARGO) clean
	rm -rf $(VENV) node_modules
