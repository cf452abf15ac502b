# nCEN. `make run` starts the demo; `make test` is what CI runs. Needs Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: help run test test-quick lint clean chromium pango

help:
	@echo "make run         the demo on http://127.0.0.1:8000/ (embedded PostgreSQL and Redis"
	@echo "                 unless DATABASE_URL and REDIS_URL are set); Ctrl-C stops it"
	@echo "make test        lint, migrations check and the whole test suite (needs chromium)"
	@echo "make test-quick  the same without the browser tests"
	@echo "make lint        ruff"
	@echo "make clean       remove the embedded test servers' data (.data/test)"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed and none was found." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "nCEN needs Python 3.11; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last successful install.
$(INSTALLED): pyproject.toml | $(PY) pango
	$(PY) -m pip install -e '.[dev]'
	@touch $@

run: $(INSTALLED)
	$(PY) scripts/run_demo.py

# test and test-quick share one recipe; only the browser tests and chromium differ.
test: PYTEST_MARKS :=
test-quick: PYTEST_MARKS := -m "not browser"
test: chromium
test test-quick: $(INSTALLED)
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=ncen.settings.test $(PY) scripts/test_services.py \
		$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/test_services.py $(VENV)/bin/pytest -n 2 $(PYTEST_MARKS) $(PYTEST_ARGS)

chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests ..."; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "The browser tests need Debian's chromium package (/usr/bin/chromium)." >&2; \
		echo "Install it with:  sudo apt-get install -y chromium" >&2; \
		echo "or run the other tests with:  make test-quick" >&2; \
		exit 1; \
	fi

# WeasyPrint (the PDF reports) loads Pango and HarfBuzz from the system, as Debian packages.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pango:
	@if /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 && /sbin/ldconfig -p | grep -q libharfbuzz-subset.so.0; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Pango for the PDF reports ..."; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(PANGO_PACKAGES); \
	else \
		echo "The PDF reports need Pango and HarfBuzz (Debian: $(PANGO_PACKAGES))." >&2; \
		echo "Install them with:  sudo apt-get install -y $(PANGO_PACKAGES)" >&2; \
		exit 1; \
	fi

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

clean:
	rm -rf .data/test
