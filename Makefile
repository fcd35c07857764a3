# Everything runs in a local .venv created with pip (conda users: environment.yml).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.kpt-installed

.PHONY: demo test lab bench docs strip clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kpt-audit demo --out outputs/demo

test: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist loadgroup

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) -m kpt_audit.bench

docs: $(STAMP)
	$(PY) -m kpt_audit.docs

strip: $(STAMP)
	$(PY) scripts/strip_notebooks.py notebooks

clean:
	rm -rf outputs/demo outputs/bench build dist *.egg-info
