# One command to run the portal locally in sandbox mode, one to run the tests, one to update the locks.
VENV ?= .venv
PY := $(VENV)/bin/python
# Exact versions with hashes, generated from pyproject.toml by `make lock` (README: "Dependencies").
APP_LOCK := requirements/app.txt
TEST_LOCK := requirements/test.txt
# pip itself, pinned too: a new venv's pip is whatever that Python shipped (and older ones are slower).
PIP_LOCK := requirements/pip.txt
# The lock tool (uv) lives in its own venv, installed from its own hashed lock.
LOCK_VENV := .venv-lock
UV := $(LOCK_VENV)/bin/uv
LOCK_TOOLS := requirements/lock-tools.txt
# Resolve for every platform and every Python the project allows, so the Dockerfile, CI and a
# developer's Mac install the same versions. `make lock UPGRADE=1` moves every pin to its newest release.
UV_COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
             --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
# The local run: SQLite, an embedded (filesystem) broker, simulated vendors. No Redis or PostgreSQL needed.
# (The broker URL names a host only so that kombu does not warn that it assumes one.)
PORT ?= 8000
# Loopback only unless told otherwise (make run ADDRESS=0.0.0.0:8000): DEBUG on, a demo password, open sandbox pages.
ADDRESS ?= 127.0.0.1:$(PORT)
LOCAL_ENV := DEBUG=on SANDBOX_ENABLED=on CELERY_BROKER_URL=filesystem://localhost/ \
             DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 PORTAL_BASE_URL=http://localhost:$(PORT)
# What make run (and the install it needs) says follows the portal's language, like the commands it starts:
# Dutch, or English with `make run PORTAL_LANGUAGE=en`.
PORTAL_LANGUAGE ?= nl
ifeq ($(PORTAL_LANGUAGE),en)
SAY_INSTALLING = Installing the locked versions from $(TEST_LOCK) into $(VENV) ...
SAY_PREPARING = Preparing the local database (SQLite, db.sqlite3) and the demo data ...
SAY_FAILED = Failed:
else
SAY_INSTALLING = De vastgelegde versies uit $(TEST_LOCK) worden in $(VENV) geïnstalleerd ...
SAY_PREPARING = De lokale database (SQLite, db.sqlite3) en de demogegevens worden klaargezet ...
SAY_FAILED = Mislukt:
endif
# Runs a command silently; its output (pip's progress, a machine's pip configuration warnings) is shown
# only when it fails.
QUIETLY = quietly() { log=$$(mktemp); if "$$@" >"$$log" 2>&1; then rm -f "$$log"; \
          else status=$$?; cat "$$log" >&2; rm -f "$$log"; echo "$(SAY_FAILED) $$*" >&2; return $$status; fi; }; quietly

.PHONY: run test test-machine install lock lock-files lint clean

# The venv holds exactly the test lock (a superset of the app lock, same versions): it is made anew
# whenever the lock or pyproject.toml changes, so nothing left over from an earlier install stays.
$(VENV)/.installed: $(PIP_LOCK) $(TEST_LOCK) pyproject.toml
	@echo "$(SAY_INSTALLING)"
	@rm -rf $(VENV)
	@$(QUIETLY) python3 -m venv $(VENV)
	@$(QUIETLY) $(VENV)/bin/pip install --require-hashes -r $(PIP_LOCK)
	@$(QUIETLY) $(VENV)/bin/pip install --require-hashes -r $(TEST_LOCK)
	@$(QUIETLY) $(VENV)/bin/pip install --no-deps --no-build-isolation -e .
	@$(VENV)/bin/pip check >/dev/null 2>&1 || { $(VENV)/bin/pip check; \
	  echo "$(TEST_LOCK) does not match pyproject.toml: run 'make lock'." >&2; exit 1; }
	@touch $@

install: $(VENV)/.installed

$(UV): $(LOCK_TOOLS)
	@echo "Installing the lock tool (uv) into $(LOCK_VENV) ..."
	@rm -rf $(LOCK_VENV)
	@$(QUIETLY) python3 -m venv $(LOCK_VENV)
	@$(QUIETLY) $(LOCK_VENV)/bin/pip install --require-hashes -r $(PIP_LOCK)
	@$(QUIETLY) $(LOCK_VENV)/bin/pip install --require-hashes -r $(LOCK_TOOLS)
	@touch $@

# Regenerates the locks from pyproject.toml (the app's dependencies first; the tests' lock is held to
# the same versions), then installs them and runs the suite. Existing pins are kept unless UPGRADE=1;
# a lock left with merge-conflict markers is resolved afresh. `make lock-files` only rewrites the files.
lock: lock-files
	@$(MAKE) --no-print-directory install
	@$(MAKE) --no-print-directory test

lock-files: $(UV)
	@for lock in $(APP_LOCK) $(TEST_LOCK) $(PIP_LOCK) $(LOCK_TOOLS); do \
	  if grep -qE '^(<<<<<<<|=======|>>>>>>>)' $$lock 2>/dev/null; then \
	    echo "$$lock has merge-conflict markers: resolving it afresh."; rm $$lock; fi; done
	@python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  > $(LOCK_VENV)/build-system.in
	$(UV_COMPILE) -o $(APP_LOCK) pyproject.toml $(LOCK_VENV)/build-system.in
	$(UV_COMPILE) -o $(TEST_LOCK) --extra test --constraint $(APP_LOCK) pyproject.toml $(LOCK_VENV)/build-system.in
	$(UV_COMPILE) -o $(PIP_LOCK) requirements/pip.in
	$(UV_COMPILE) -o $(LOCK_TOOLS) requirements/lock-tools.in

# The launcher is exec'd: make's own child, so a SIGTERM to make reaches it (a shell in between would die
# alone, leaving the web server, worker and beat running).
run: install
	@echo "$(SAY_PREPARING)"
	@$(QUIETLY) env $(LOCAL_ENV) $(PY) manage.py migrate --noinput
	@$(QUIETLY) env $(LOCAL_ENV) $(PY) manage.py seed_demo --language $(PORTAL_LANGUAGE)
	@exec env $(LOCAL_ENV) $(PY) manage.py run_sandbox --address $(ADDRESS) --language $(PORTAL_LANGUAGE)

# Tests use the real PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and Redis
# (CELERY_BROKER_URL/CACHE_URL, default DBs 14/15). test-machine installs and starts what is missing;
# pytest-randomly runs the tests in a new random order each time (it prints the seed to repeat one).
test: test-machine install
	$(PY) -m pytest

test-machine:
	@bash scripts/test-machine.sh

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf var db.sqlite3 staticfiles
