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

.PHONY: dataset test golden corpus bench fuzz mutation lint check-copy clean help

help:
	@echo "make dataset [SVIX=<svix-webhooks checkout>] [OUT=file] [SEED=n]  generate the JSONL"
	@echo "make test        run the test suite (dev environment is created if missing)"
	@echo "make golden      regenerate golden/ (review the diff)"
	@echo "make corpus      download real Rust crates from Debian into ./corpus"
	@echo "make bench       scanner vs tree-sitter timing over the corpus"
	@echo "make fuzz        run the atheris scanner fuzzer (FUZZ_SECONDS=600)"
	@echo "make mutation    mutmut on scanner, rules, records (hours; MUTATE=rules for one)"
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

# Rewrites golden/ from a fresh run (the Go `-update` convention), then lists what changed so
# the next step is obvious: read `git diff golden/` (the .md files) and commit.
golden: $(VENV)/.dev-stamp
	SVIXBT_UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py tests/test_readme.py -q -p no:cacheprovider
	@git status --short -- golden/ 2>/dev/null || true

corpus:
	@test -e $(CORPUS)/.done || bash tests/get_corpus.sh $(CORPUS) $(CORPUS_PKGS)

bench: $(VENV)/.dev-stamp corpus
	$(PY) bench/bench_scan.py $(CORPUS)

# The corpus grows as libFuzzer finds new paths, so it lives outside the tree; it is seeded with
# the bundled sample and the test fixtures. Crashing inputs land in fuzz/crashes/ (git-ignored).
FUZZ_CORPUS ?= $${TMPDIR:-/tmp}/svixbt-fuzz-corpus
fuzz: $(VENV)/.dev-stamp
	$(PY) -m pip install -q --disable-pip-version-check -e '.[fuzz]'
	mkdir -p $(FUZZ_CORPUS) fuzz/crashes
	cp svixbt/data/*.rs tests/fixtures/*.rs $(FUZZ_CORPUS)/
	$(PY) fuzz/fuzz_scanner.py $(FUZZ_CORPUS) -max_total_time=$${FUZZ_SECONDS:-600} \
		-rss_limit_mb=2048 -max_len=16384 -artifact_prefix=fuzz/crashes/ $(FUZZ_ARGS)

# Mutation testing, the measure of the suite (not in CI: hours on two cores). Without MUTATE,
# scanner, rules and records, resumable: results stay in mutants/ and an interrupted run picks up
# where it stopped. MUTATE=scanner (or "rules records") runs those modules' mutants afresh. Ends with
# the score per module and the survivors (`$(VENV)/bin/mutmut show NAME` shows one).
MUTATE ?=
$(VENV)/.mutation-stamp: pyproject.toml $(VENV)/.dev-stamp
	$(PY) -m pip install -q --disable-pip-version-check -e '.[mutation]'
	@touch $@

mutation: $(VENV)/.mutation-stamp
	$(VENV)/bin/mutmut run $(foreach m,$(MUTATE),"svixbt.$(m).*")
	$(PY) bench/mutation_score.py --survivors mutants

lint: $(VENV)/.dev-stamp
	$(PY) -m ruff check svixbt tests bench fuzz
	$(PY) -m ruff format --check svixbt tests bench fuzz
	$(PY) -m mypy

check-copy:
	../shared/guard/check-upstream-copy

clean:
	rm -rf $(VENV) build *.egg-info mutants
