# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make pack COUNTRY=example    build one country's pack (installs what is missing)
#   make test                    run the test suite (installs what is missing)

COUNTRY ?= example
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: pack packs check test bench clean setup system-packages

pack: setup
	$(BIN)/cti-briefings build $(COUNTRY)

packs: setup
	$(BIN)/cti-briefings build --all

check: $(STAMP)
	$(BIN)/cti-briefings check $(if $(filter command line,$(origin COUNTRY)),$(COUNTRY))

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf build .pytest_cache

setup: $(STAMP) system-packages

# LibreOffice, its Python bridge, fonts metric-compatible with Word's, and the PDF tools the
# tests use; installed only when one of them is missing.
system-packages:
	@command -v soffice >/dev/null 2>&1 && command -v qpdf >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	  && test -x /usr/bin/time && /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 && fc-list | grep -q Carlito \
	  || sh tools/install-system-packages.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)
