# Two commands on a fresh machine with only Python 3.11+:
#   make site   - create .venv, install the pinned dependencies, build the site into output/
#   make test   - the same setup, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib;print(hashlib.sha256(open('requirements.lock','rb').read()+open('pyproject.toml','rb').read()).hexdigest()[:12])")

.PHONY: site test setup bench lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'Python 3.11+ is required')"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .  # the project's package, csoa
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/invoke bench

# Maintainers only: re-pin the dependencies after editing pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf output .cache __pycache__
