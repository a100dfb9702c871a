# Two commands on a fresh machine: `make site` builds the demo portal into site/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test bench lint check serve clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/portal build

check: $(STAMP)
	$(BIN)/portal check

test: $(STAMP)
	$(BIN)/ruff check --quiet .
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py --items 2000

lint: $(STAMP)
	$(BIN)/ruff check .

serve: $(STAMP)
	$(BIN)/mkdocs serve

clean:
	rm -rf site .cache .pytest_cache
