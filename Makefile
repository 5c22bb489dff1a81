# One command to run the portal locally in sandbox mode, one to run the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
# The local run: SQLite, an embedded (filesystem) broker, simulated vendors. No Redis or PostgreSQL needed.
LOCAL_ENV := DEBUG=on SANDBOX_ENABLED=on CELERY_BROKER_URL=filesystem:// \
             DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 PORTAL_BASE_URL=http://localhost:8000

.PHONY: run test install lint clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py seed_demo
	@echo "Portal on http://localhost:8000  (Ctrl+C stops web, worker and scheduler)"
	$(LOCAL_ENV) $(PY) manage.py run_sandbox --address $(or $(ADDRESS),127.0.0.1:8000)

# Tests use the real PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and Redis.
test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf var db.sqlite3 staticfiles
