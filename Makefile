# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make pack COUNTRY=example    build one country's pack (installs what is missing)
#   make test                    run the test suite (installs what is missing)

COUNTRY ?= example
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SHARD ?=
SHARD_OPTION := $(if $(SHARD),--shard $(SHARD))
CACHE_DIR := $(or $(CTI_CACHE_DIR),$(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME)/cti-briefings),$(HOME)/.cache/cti-briefings)

.PHONY: pack packs check manifest watch test bench clean setup system-packages

pack: setup
	$(BIN)/cti-briefings build $(COUNTRY)

packs: setup
	$(BIN)/cti-briefings build --all $(SHARD_OPTION)

check: $(STAMP)
	$(BIN)/cti-briefings check $(if $(filter command line,$(origin COUNTRY)),$(COUNTRY)) $(SHARD_OPTION)

# Joins build/*/manifest.json (e.g. CI's shares) into build/manifest.json; fails if a pack is missing.
manifest: $(STAMP)
	$(BIN)/cti-briefings manifest --require-all --output build/manifest.json

watch: setup
	$(BIN)/cti-briefings watch $(COUNTRY)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf build .pytest_cache "$(CACHE_DIR)/pdf" "$(CACHE_DIR)/office-versions.json"

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
