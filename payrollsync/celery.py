"""The Celery app: reads Django settings under the CELERY_ namespace and finds tasks in the apps."""

import logging
import os

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payrollsync.settings")

app = Celery("payrollsync")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Every worker writes the 'worker' heartbeat itself, every HEARTBEAT_SECONDS, from its main process,
    so the health check sees a live worker even when no task runs (beat's heartbeat proves the schedule)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_ref = None

    def start(self, worker):
        from portal.health import HEARTBEAT_SECONDS

        self.beat()
        self.timer_ref = worker.timer.call_repeatedly(HEARTBEAT_SECONDS, self.beat)

    def stop(self, worker):
        if self.timer_ref is not None:
            self.timer_ref.cancel()

    @staticmethod
    def beat():
        from django.db import connection

        from portal.health import record_heartbeat

        try:
            record_heartbeat("worker")
        except Exception:  # a database hiccup must not stop the worker; the health check will tell
            logging.getLogger(__name__).warning("could not record the worker heartbeat", exc_info=True)
        finally:
            connection.close()  # the pool forks from this process: it must not inherit a connection


app.steps["worker"].add(WorkerHeartbeat)


def _django_connection_rules(task=None, **kwargs):
    """Around every task, what Django does around every request (django.db.close_old_connections): drop a
    connection older than CONN_MAX_AGE or one that had errors, and arm CONN_HEALTH_CHECKS for the next
    first use. Celery's fixup keeps the connection between tasks because CELERY_DB_REUSE_MAX is set.
    Not for eager tasks: they run inside the caller's (a test's) transaction."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


signals.task_prerun.connect(_django_connection_rules, weak=False)
signals.task_postrun.connect(_django_connection_rules, weak=False)


@signals.beat_init.connect
def first_beat_heartbeat(sender=None, **kwargs):
    """Beat's first heartbeat at its start, not a minute later: health turns green as soon as it runs."""
    app.send_task("portal.tasks.heartbeat", kwargs={"source": "beat"}, expires=55)
