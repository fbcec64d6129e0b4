# svixbt — two commands on a fresh machine: `make dataset` and `make test`.
# Every target creates the virtual environment it needs, so nothing has to be activated first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
OUT    ?= background_task_runner.jsonl
SEED   ?= 0
SVIX   ?=
CORPUS := corpus
CORPUS_PKGS := librust-tokio-dev librust-tokio-util-dev librust-hyper-dev librust-futures-util-dev

.PHONY: dataset test golden corpus bench fuzz lint check-copy clean help

help:
	@echo "make dataset [SVIX=<svix-webhooks checkout>] [OUT=file] [SEED=n]  generate the JSONL"
	@echo "make test        run the test suite (dev environment is created if missing)"
	@echo "make golden      regenerate golden/ (review the diff)"
	@echo "make corpus      download real Rust crates from Debian into ./corpus"
	@echo "make bench       scanner vs tree-sitter timing over the corpus"
	@echo "make fuzz        run the atheris scanner fuzzer (FUZZ_SECONDS=600)"
	@echo "make lint        ruff + mypy"

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.run-stamp: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	@touch $@

$(VENV)/.dev-stamp: pyproject.toml $(VENV)/.run-stamp
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

dataset: $(VENV)/.run-stamp
ifeq ($(strip $(SVIX)),)
	$(PY) -m svixbt generate -o $(OUT) --seed $(SEED)
else
	$(PY) -m svixbt generate --checkout "$(SVIX)" -o $(OUT) --seed $(SEED)
endif
	$(PY) -m svixbt validate $(OUT)

test: $(VENV)/.dev-stamp
	$(PY) -m pytest

golden: $(VENV)/.dev-stamp
	SVIXBT_UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py -q

corpus:
	@test -e $(CORPUS)/.done || bash tests/get_corpus.sh $(CORPUS) $(CORPUS_PKGS)

bench: $(VENV)/.dev-stamp corpus
	$(PY) bench/bench_scan.py $(CORPUS)

fuzz: $(VENV)/.dev-stamp
	$(PY) -m pip install -q --disable-pip-version-check -e '.[fuzz]'
	$(PY) fuzz/fuzz_scanner.py -max_total_time=$${FUZZ_SECONDS:-600} -rss_limit_mb=2048

lint: $(VENV)/.dev-stamp
	$(PY) -m ruff check svixbt tests bench fuzz
	$(PY) -m ruff format --check svixbt tests bench fuzz
	$(PY) -m mypy

check-copy:
	../shared/guard/check-upstream-copy

clean:
	rm -rf $(VENV) build *.egg-info
