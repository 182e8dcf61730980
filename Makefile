# qdlab: make run | make test | make bench | make lint | make docs
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: run test bench lint docs clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e ".[web,test,design]"
	touch $(STAMP)

# The main job: the web explorer on http://127.0.0.1:8000 (Ctrl-C stops it).
# `qdlab tour` is the same story as a printout in the terminal.
run: $(STAMP)
	$(VENV)/bin/qdlab serve

test: $(STAMP)
	-sh scripts/install_browser.sh || echo "chromium not installed: the browser tests skip"
	$(VENV)/bin/ruff check src tests benchmarks scripts examples docs
	$(VENV)/bin/mypy
	$(PY) -m pytest --durations=15

bench: $(STAMP)
	$(PY) -m pip install -q -e ".[web,test,design,bench]"
	$(PY) benchmarks/run_all.py

# The documentation site into site/: mkdocs build --strict (every warning is an error)
# runs every gallery example (examples/plot_*.py) afresh and computes the validation tables.
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install -q -e ".[web,design,docs]"
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	rm -rf site docs/generated
	@start=$$(date +%s); \
	MPLBACKEND=Agg NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict && \
	echo "make docs: site/ built in $$(( $$(date +%s) - start )) s"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts examples docs

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info site docs/generated
