# Two entry points (see README): `make demo` and `make test`. Both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_OUT ?= demo_out
export SPROGTRO_PASSPHRASE ?= demo-passphrase-change-me

.PHONY: demo test venv venv-all browser bench lint clean

$(VENV)/.core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

# torch is pinned and installed first: an unpinned torch (pulled by BERTopic) would fetch a multi-GB CUDA build.
$(VENV)/.all: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[all]"
	touch $(VENV)/.core $@

venv: $(VENV)/.core
venv-all: $(VENV)/.all

demo: $(VENV)/.core
	$(PY) -m sprogtro demo $(DEMO_OUT) --force

# Debian's Chromium for the Playwright browser tests (`playwright install` cannot download here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (install Debian's chromium)"; fi; }

test: $(VENV)/.all browser
	$(VENV)/bin/ruff check --select F src tests benchmarks scripts  # undefined names, unused imports
	$(PY) -m pytest -q

bench: $(VENV)/.all
	$(PY) -m benchmarks.run --sizes 1000,10000

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
