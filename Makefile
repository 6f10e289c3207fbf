# omega-webhooks: the commands the README documents.
#   make demo     the CLI listing events from its embedded mock server (offline)
#   make test     every check and test in every language (what CI runs)
#   make codegen  regenerate schemas/ from the Rust models
#   make lint     rustfmt, clippy and rustdoc, warnings as errors
#   make bench    side-by-side benchmarks (writes bench/results.json, docs/benchmarks.md)
#   make fuzz     the three fuzz tests with 500,000 inputs each (make test runs 20,000)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV   := .venv
PYTHON := $(VENV)/bin/python
CARGO  ?= cargo
CLI    := target/release/omega-webhooks

.PHONY: demo test bench fuzz lint codegen codegen-check test-rust test-schemas test-python test-node python-package clean

demo:
	$(CARGO) build --release --locked --quiet -p omega-webhooks-cli
	$(CLI) --mock events list 6336cd2b5790c27875f70d96
	@echo
	$(CLI) --mock events get 6336cd2b5790c27875f70d96 63377e715790c27875f70dbd

# Everything in release mode; the peers (httpx, pydantic, requests) into the project's .venv.
bench: python-package node_modules/.installed
	$(CARGO) build --release --locked --quiet -p omega-webhooks-cli -p omega-webhooks-bench
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	npm run build --silent
	$(PYTHON) bench/run.py

test: lint codegen-check test-rust test-schemas test-python test-node

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --locked --quiet

codegen:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen

codegen-check:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen -- --check

test-rust:
	$(CARGO) test --workspace --locked

# The schemas checked by validators and by the generators of schemas/README.md (some run
# against the mock, and the decoder is checked against the schema through the Python package).
test-schemas: python-package node_modules/.installed
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q tests/schemas
	node --test tests/schemas/

# `pip install .` exactly as a user would (maturin, release, abi3).
python-package: $(VENV)/.installed
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .

# pytest against the mock server started from the CLI binary.
test-python: python-package
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q bindings/python/tests

# `npm run build` (napi-rs, release) as a user would, then node --test against the mock server
# started from the CLI binary (including an `npm pack` tarball installed into a fresh project).
# The fuzz test compares every outcome with the Python package's, hence python-package.
test-node: node_modules/.installed python-package
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	npm run build --silent
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks node --test bindings/node/tests/

# Longer fuzzing of parse_event in the three languages (the same mutators as make test's).
fuzz: python-package node_modules/.installed
	OMEGA_FUZZ_INPUTS=500000 $(CARGO) test --release --locked -p omega-webhooks-types --test fuzz
	OMEGA_FUZZ_INPUTS=500000 $(PYTHON) -m pytest -q bindings/python/tests/test_fuzz.py
	npm run build --silent
	OMEGA_FUZZ_INPUTS=500000 node --test bindings/node/tests/fuzz.test.mjs

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
