# Each target sets up .venv on first use (idempotent: the stamp is remade only when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.culti-installed
RAW    ?=
OUT    ?= data/out
SEED   ?= 0

.PHONY: dataset sample-full test benchmark benchmark-real lint clean-out

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first, pinned, so nothing else pulls a different build
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

dataset: $(STAMP)
	$(BIN)/culti dataset $(RAW) --out $(OUT) --seed $(SEED)

# The long sample set (758 pages, half scanned) in place of the default one: `make sample-full dataset`.
sample-full: $(STAMP)
	$(BIN)/culti sample --full --out data/sample

benchmark: $(STAMP)
	$(BIN)/culti benchmark --data $(OUT)

# The real-document corpus: restore it (benchmarks/real_corpus/restore.py), then culti and
# pymupdf4llm side by side, scored by one core (docs/real_corpus.md).
benchmark-real: $(STAMP)
	$(BIN)/python benchmarks/bench_real.py --parallel

# The review tests drive Debian's Chromium headless; install it when missing.
test: $(STAMP)
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	$(BIN)/ruff check culti extract align dataset laclip_eval review tests
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check culti extract align dataset laclip_eval review tests

clean-out:
	rm -rf $(OUT)
