# Two commands on a fresh machine: `make run` (install, build the graph, write exports/)
# and `make test` (install, run the tests). Both install into a local virtual environment.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# the distribution was called impasse before it became impasse-kg: drop an old install of it
	$(PY) -m pip uninstall --quiet --yes impasse 2>/dev/null || true
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/kg build

test: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
