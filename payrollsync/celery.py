"""The Celery app: reads Django settings under the CELERY_ namespace and finds tasks in the apps."""

import logging
import os
import warnings

from celery import Celery, bootsteps, signals
from celery.exceptions import CPendingDeprecationWarning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payrollsync.settings")

app = Celery("payrollsync")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# We chose worker_cancel_long_running_tasks_on_connection_loss = False on purpose (settings.py, README
# "Broker reconnection"); Celery would repeat its notice about the future default at every reconnect.
warnings.filterwarnings("ignore", message=r"\s*In Celery 5.1 we introduced an optional breaking change",
                        category=CPendingDeprecationWarning)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Every worker writes the 'worker' heartbeat itself, every HEARTBEAT_SECONDS, from its main process,
    so the health check sees a live worker even when no task runs (beat's heartbeat proves the schedule).

    Only while its consumer is connected to the broker: a worker that lost Redis and is reconnecting (it
    keeps trying, settings.py "losing the broker") takes no task, and the health check should say so
    after HEARTBEAT_STALE_AFTER. The first heartbeat is written when the worker is ready (worker_ready)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_ref = None

    def start(self, worker):
        from portal.health import HEARTBEAT_SECONDS

        self.timer_ref = worker.timer.call_repeatedly(HEARTBEAT_SECONDS, self.beat_if_connected, (worker,))

    def stop(self, worker):
        if self.timer_ref is not None:
            self.timer_ref.cancel()

    @classmethod
    def beat_if_connected(cls, worker):
        if consumer_connected(worker):
            cls.beat()

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


def consumer_connected(worker) -> bool:
    """The worker's consumer holds a live broker connection (Celery sets it to None when it is lost)."""
    consumer = getattr(worker, "consumer", None)
    connection = getattr(consumer, "connection", None)
    try:
        return connection is not None and bool(connection.connected)
    except Exception:  # noqa: BLE001 - a transport error while asking means: not connected
        return False


@signals.worker_ready.connect
def first_worker_heartbeat(sender=None, **kwargs):
    """The consumer is connected and takes tasks: health turns green now, not a heartbeat period later."""
    WorkerHeartbeat.beat()


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


@signals.worker_init.connect
def refuse_a_lease_shorter_than_a_push(sender=None, **kwargs):
    """The worker does not start when a live push could be taken for a dead one (portal/checks.py).
    Celery runs Django's system checks at start-up but only logs them, and a signal handler's exception
    is only logged too: SystemExit is what stops the worker here, with the check's own words."""
    from portal.checks import lease_outlasts_push

    errors = lease_outlasts_push()
    if errors:
        raise SystemExit("\n".join(f"{error.id}: {error.msg} {error.hint}" for error in errors))
