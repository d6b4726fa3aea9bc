# ICS Atlas: every command a maintainer needs. `make` alone lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= data
OUT ?= site
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help site serve validate diff test check lint format bench boundaries reference-data crosswalks clean lock tools

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

site: $(STAMP) ## Set up, validate the data and build site/
	$(PY) -m generator build --data $(DATA) --out $(OUT)

serve: $(STAMP) ## Build, then preview the site on http://127.0.0.1:8000
	$(PY) -m generator serve --data $(DATA) --out $(OUT)

validate: $(STAMP) ## Check the data and print every error
	$(PY) -m generator validate --data $(DATA)

diff: $(STAMP) ## Show the data changes against a git ref (REF=, default origin/main or HEAD)
	$(PY) -m generator diff --data $(DATA) $(REF)

# The tests drive a real browser (Chromium) and open the downloads in LibreOffice.
TOOLS := chromium:chromium soffice:libreoffice-calc-nogui
tools: ## Make sure Chromium and LibreOffice are there for the tests (installs them as root)
	@missing=""; for pair in $(TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's$$missing for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need Debian's$$missing. Install them (sudo apt-get install$$missing) and run make test again."; \
	    exit 1; \
	  fi; \
	fi

test: $(STAMP) tools ## Set up and run the whole test suite, browser tests included
	$(PY) -m pytest

lint: $(STAMP) ## ruff format check and lint
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint test ## Lint, then test

bench: $(STAMP) tools ## Time the build (real data, 10x synthetic data; SCALE=, RUNS=) and weigh the pages; bench/results.json
	$(PY) -m generator bench --data $(DATA) $(if $(SCALE),--scale $(SCALE)) $(if $(RUNS),--runs $(RUNS))

BOUNDARIES_SRC := ../shared/reference/boundaries/icb_jul2022_derived.geojson
boundaries: $(STAMP) ## Rebuild data/geo/ from an ONS boundary GeoJSON (SRC=path, NAME=, TOLERANCE=)
	$(PY) -m generator boundaries --data $(DATA) --src $(or $(SRC),$(BOUNDARIES_SRC)) \
	  $(if $(NAME),--name $(NAME)) $(if $(TOLERANCE),--tolerance $(TOLERANCE))

reference-data: $(STAMP) ## Rebuild data/reference/ from ONS lookups, OS Code-Point Open and OS Open Names (SRC=folder; REF_PY= a Python with rdata for .rda)
	$(or $(REF_PY),$(PYTHON)) -m generator.reference_data --src $(SRC) --out $(DATA)/reference
	$(PY) -m generator.reference_postcodes --src $(SRC) --geo $(DATA)/geo --out $(DATA)/reference
	$(PY) -m generator.reference_places --src $(SRC) --out $(DATA)/reference

OFFICIAL ?= tests/fixtures/official
crosswalks: $(STAMP) ## Rebuild data/crosswalks.csv from the ONS files in OFFICIAL= (WORKBOOK= the ONS SAPE24 workbook, reduced first)
	$(PY) -m generator.crosswalks --official $(OFFICIAL) --data $(DATA) $(if $(WORKBOOK),--workbook $(WORKBOOK))

lock: ## Re-pin the whole dependency tree from pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[test]"
	{ echo "# The full pinned tree that \`make\` installs; regenerate with \`make lock\`."; \
	  .lock-venv/bin/pip freeze --exclude ics-atlas; } > requirements.lock
	rm -rf .lock-venv build *.egg-info

clean: ## Remove the build output and the virtual environment
	rm -rf $(OUT) $(VENV) .pytest_cache tests/artifacts bench
