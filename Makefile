# Two commands on a fresh machine: `make site` builds the demo portal into site/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test bench lint check serve clean docs screenshots

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

# Regenerate the generated parts of docs/ (a test fails when they are stale).
docs: $(STAMP)
	$(BIN)/portal rules --markdown > docs/rules.md
	sed -n '1,/^以下内容由系统根据内容模型自动生成。$$/p' docs/editors.md > docs/.editors.tmp
	echo >> docs/.editors.tmp
	$(BIN)/portal schema --markdown >> docs/.editors.tmp
	mv docs/.editors.tmp docs/editors.md

serve: $(STAMP)
	$(BIN)/portal serve

# PNGs of one page of every page kind at 1280 and 375 px (standard, 长者模式, high contrast) and an index.html
# contact sheet in artifacts/screenshots/ (git-ignored), from the site/ that `make site` built.
screenshots: site
	$(BIN)/python tools/screenshots.py --site site --out artifacts/screenshots

clean:
	rm -rf site .cache .pytest_cache
