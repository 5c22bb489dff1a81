"""Settings for the test suite: the real PostgreSQL and Redis of this machine (or CI), never SQLite."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
# Redis DBs of their own (not 0/1, which a local portal uses): the suite empties them between tests.
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/15")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("SECRET_ENCRYPTION_KEYS", "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy1vayE=")
os.environ.setdefault("SANDBOX_ENABLED", "on")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")

from payrollsync.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Parallel runs on one machine (several developers, CI) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_payrollsync")}  # noqa: F405
# The test-only third payroll source (tests/engine/third_source/) owns a model: its table must exist in the
# test database. Registered as a source only by the tests that use it (portal.sources.registry.register).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.engine.third_source"]  # noqa: F405
