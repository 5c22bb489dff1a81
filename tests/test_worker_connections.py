"""A worker keeps its database connection across tasks (CELERY_DB_REUSE_MAX) and checks it the way Django
does around a request (payrollsync.celery: close_old_connections, CONN_HEALTH_CHECKS): a broken one is
replaced before a task uses it, so a database restart costs no task."""

import time

import pytest
from django.db import connection

from tests.support import heartbeat_through

WORKER_APP_NAME = "payrollsync-test-worker"
# One prefork process, as in production; named (libpq's PGAPPNAME) so that the test ends only the worker's
# connections, never those of this test process's other threads (a live server's), which later tests would
# find dead.
pytestmark = pytest.mark.celery_worker(concurrency=1, PGAPPNAME=WORKER_APP_NAME)


def sessions() -> int:
    """Connections PostgreSQL has seen to the test database (pg_stat_database.sessions, PostgreSQL 14+)."""
    time.sleep(1.2)  # a backend publishes its statistics within a second
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_worker_process_reuses_its_connection_across_tasks(worker):
    heartbeat_through(worker.queue)  # the pool process is up and connected
    before = sessions()
    for _ in range(15):
        heartbeat_through(worker.queue)
    assert sessions() - before <= 1, "15 tasks on the connection the process already had"


def test_a_broken_connection_is_replaced_before_the_next_task(worker):
    heartbeat_through(worker.queue)
    with connection.cursor() as cursor:  # what a database restart does to the worker's connections
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND application_name = %s", [WORKER_APP_NAME])
        assert cursor.fetchone()[0] >= 1, "the worker's connection was ended"
    heartbeat_through(worker.queue)  # Django's health check found the connection dead and opened a new one
