"""Isolation for every test in every folder, so the suite passes in any order and any subset
(`make test` shuffles it with pytest-randomly): each test starts in the default language and time
zone, with empty caches and an empty broker database, whatever the test before it left behind."""

import os
import time

import pytest


@pytest.fixture(autouse=True)
def _isolated_language_and_time_zone():
    from django.conf import settings
    from django.utils import timezone, translation

    process_tz = os.environ.get("TZ")
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()
    if os.environ.get("TZ") != process_tz:  # a test that changed the process zone gives it back
        if process_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = process_tz
        time.tzset()


@pytest.fixture(autouse=True)
def _second_step_passed_on_force_login(monkeypatch):
    """Client.force_login gives a session that passed the second login step (portal/two_factor.py) in
    every folder's tests, not only tests/: a portal administrator's session without it is logged out."""
    from django.test import Client

    from tests.support import force_login_with_second_step

    monkeypatch.setattr(Client, "force_login", force_login_with_second_step)


@pytest.fixture(autouse=True)
def _isolated_caches_and_redis():
    _empty_caches_and_broker()
    yield
    _empty_caches_and_broker()


def _empty_caches_and_broker():
    """Every cache, and the broker's Redis database (the suite's own: see payrollsync/settings_test.py),
    so no task, lock or throttle counter of one test reaches the next."""
    from django.conf import settings
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        import redis

        with redis.Redis.from_url(settings.CELERY_BROKER_URL) as client:
            client.flushdb()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_suite(django_db_setup, django_db_blocker):
    """A live server's or a worker thread's connection can outlive its test; the test database can only
    be dropped at the end when nothing holds it. Ends those sessions after the last test: this fixture
    depends on django_db_setup, so its teardown runs before pytest-django drops the database."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
