# Everything runs in a local .venv created with pip (conda users: environment.yml).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.kpt-installed

.PHONY: demo test lab bench docs strip clean system-deps

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 > /dev/null
	@touch $(STAMP)

# A CJK font for charts and Chromium for the browser tests, from Debian's packages
# where this machine allows it; without them reports warn and browser tests skip.
system-deps:
	@scripts/system_deps.sh

demo: $(STAMP) system-deps
	$(VENV)/bin/kpt-audit demo --out outputs/demo

# the package's bytecode written once first: the suite starts hundreds of Python processes (kernels,
# workers, the command line), and where PYTHONDONTWRITEBYTECODE is set each would compile it again
test: $(STAMP) system-deps
	@$(PY) -m compileall -q kpt_audit > /dev/null
	$(PY) -m pytest -q -n 2 --dist loadgroup

# JupyterLab in Chinese (the language pack, chosen in the venv's settings overrides); root (a
# container, an office's VM) must say so to Jupyter, everyone else runs it as is
lab: $(STAMP)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}' > $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)
	$(PY) -m kpt_audit.bench --reports
	$(PY) -m kpt_audit.bench_ocds
	$(PY) -m kpt_audit.bench_scale

docs: $(STAMP)
	$(PY) -m kpt_audit.docs

strip: $(STAMP)
	$(PY) scripts/strip_notebooks.py notebooks

clean:
	rm -rf outputs/demo outputs/bench build dist *.egg-info
