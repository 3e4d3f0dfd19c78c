# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck postgres chromium bench bench-scale clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ledger init --if-missing
	$(BIN)/ledger demo --if-empty
	$(BIN)/ledger demo-links
	$(BIN)/ledger serve

postgres:
	bash scripts/ensure-postgres

# The browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright; install it when missing
# with a CJK font for the Chinese pages (as root; Playwright's own browser download does not work here).
chromium:
	@dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test: install postgres chromium lint typecheck
	$(BIN)/pytest

# The reliability suite at full size (more writers, rounds, outages and fuzzing inputs; `make test` runs
# it reduced): concurrency through the API, PostgreSQL restarts under load, crashes, backups, fuzzing, and
# the canonicaliser properties with their full example counts.
.PHONY: soak
soak: install postgres
	LEDGER_SOAK=1 $(BIN)/pytest tests/reliability tests/fuzz tests/test_canonical.py

bench: install postgres
	$(PY) -m bench

# Growth table (10⁴ and 10⁵ statements by default, both backends) and HTTP appends on PostgreSQL. The province
# run: ARGS="--backend postgres --sizes 10000,100000,1000000,2000000 --appenders 3 --keep-ledgers DIR";
# measure the kept ledgers again with the current code: ARGS="--backend postgres --measure DIR".
bench-scale: install postgres
	$(PY) -m bench.scale $(ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
