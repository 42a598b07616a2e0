# 落实 Luoshi. `make run` and `make test` need only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The web console, its component tests and the TypeScript check of make test: React, Ant Design, Vite, Vitest,
# openapi-typescript and TypeScript, pinned in web/console/package-lock.json, installed by `npm ci`; building and
# checking then run offline (make test runs the component tests through tests/console/test_components.py).
CONSOLE := web/console
NODE_STAMP := $(CONSOLE)/node_modules/.installed

.PHONY: run test bench bench-scale corpus fuzz mutate screenshots migrate lint fmt install clean db-stop

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): $(CONSOLE)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(CONSOLE) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: no web console, and make test skips its tests and the TypeScript check (Node.js 20+)"; fi

install: $(STAMP) $(NODE_STAMP)

run: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/luoshi run

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m tests.bench

# A province on one machine (tests/bench/scale.py): seeds 10,000 units, 2 M tasks and 10 M assignments once (about
# half an hour here; kept in the luoshi_scale database), then prints p50/p99 of the busiest reads and the sweep.
bench-scale: $(STAMP)
	$(PY) -m tests.bench.scale

# The parser's accuracy on the plan corpus (tests/fixtures/corpus and the samples): prints the per-document
# table of tasks found, unit lists and deadlines equal, indicator precision and recall (issue 15).
corpus: $(STAMP)
	$(PY) -m pytest -q tests/unit/planparse/test_corpus.py

# The OpenAPI fuzzing of `make test`, deeper: FUZZ_EXAMPLES cases per operation and phase, FUZZ_SEED to vary.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} FUZZ_TIME_LIMIT=$${FUZZ_TIME_LIMIT:-1500} $(PY) -m pytest -rA tests/platform/test_fuzz.py

# Mutation testing of the pure cores, each against its unit tests (tests/mutation/run.py, figures in
# docs/testing.md). Slow, so not part of `make test`; MUTATE="scoring workdays" runs some of them.
mutate: $(STAMP)
	$(PY) -m tests.mutation.run $(MUTATE)

# README's pictures of the console, taken by its browser test from the demo (needs Chromium and a Chinese font:
# apt-get install chromium fonts-wqy-microhei, as .ci/run does).
screenshots: $(STAMP) $(NODE_STAMP)
	LUOSHI_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/console/test_screenshots.py

# DATABASE_URL unset: `luoshi migrate` starts the embedded development database and migrates that.
migrate: $(STAMP)
	$(VENV)/bin/luoshi migrate

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

db-stop: $(STAMP)
	$(VENV)/bin/luoshi db stop

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mutation $(CONSOLE)/node_modules
