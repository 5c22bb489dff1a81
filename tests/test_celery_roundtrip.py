"""A task sent through the real Redis broker and executed by a real worker process."""


import pytest
from django.conf import settings

from tests.support import heartbeat_through


@pytest.mark.celery_worker(pool="solo")
def test_a_task_goes_through_redis_to_a_real_worker(worker):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    beat = heartbeat_through(worker.queue)
    assert beat.hostname, "the worker recorded where it ran"


def test_celery_settings_protect_against_lost_tasks():
    from payrollsync.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
    for entry in app.conf.beat_schedule.values():
        assert entry["options"]["expires"] < entry["schedule"], "a backed-up queue never runs stale copies"
