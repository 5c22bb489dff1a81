"""Runs a Celery worker of the project in the current directory, counting what its pool processes do to
the database: every SQL statement Django sends (connection.execute_wrapper) and every health-check ping
(CONN_HEALTH_CHECKS). Each process adds its counts to Redis after every task (BENCH_COUNTER_URL), for
bench_import.py, over one connection per process: a new redis-py client per task cost about 2 ms of
CPU (it reads its own package metadata on connect), which the bench would have charged to the portal. It touches the project only through Django's and Celery's public hooks, so it measures
any checkout (the bench compares a branch with main)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.getcwd())

from celery import signals  # noqa: E402

_counts = {"sql": 0, "pings": 0, "tasks": 0}
_client = None  # this process's Redis client for the counters (made after the fork)
_PREFIX = os.environ.get("BENCH_COUNTER_PREFIX", "bench")  # bench/two_hosts.py: one set of counters per host


def _count_statement(execute, sql, params, many, context):
    _counts["sql"] += 1
    return execute(sql, params, many, context)


@signals.worker_process_init.connect
def _install(**kwargs):
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    connection.execute_wrappers.append(_count_statement)
    real = BaseDatabaseWrapper.close_if_health_check_failed

    def close_if_health_check_failed(self):
        if self.connection is not None and self.health_check_enabled and not self.health_check_done:
            _counts["pings"] += 1  # is_usable() sends one statement on the raw connection
        return real(self)

    BaseDatabaseWrapper.close_if_health_check_failed = close_if_health_check_failed


@signals.task_postrun.connect
def _flush(**kwargs):
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(os.environ["BENCH_COUNTER_URL"])
    _counts["tasks"] += 1
    with _client.pipeline(transaction=False) as pipe:
        for key, value in _counts.items():
            if value:
                pipe.incrby(f"{_PREFIX}:{key}", value)
        pipe.execute()
    for key in _counts:
        _counts[key] = 0


if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv[0] = "celery"
    main()
