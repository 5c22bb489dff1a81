"""Celery: the broker (Redis, or the embedded folder of `make run`), the worker, and beat's schedule."""

from pathlib import Path

from payrollsync.settings.environment import BASE_DIR, TIME_ZONE, env

# --- Celery (paperless-ngx style: CELERY_ namespace, static beat schedule with expiries) ---------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The one-command run: an embedded broker in a folder, no Redis needed.
    _broker_dir = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
    # Beat's schedule file beside its broker folder (var/ for `make run`): two local runs with their own
    # folders (the tests' launchers) never share, and so never corrupt, one schedule file.
    CELERY_BEAT_SCHEDULE_FILENAME = str(_broker_dir.parent / "celerybeat-schedule")
    # The worker's timer thread wakes this often (Celery's default: every second); stopping the worker
    # waits for its current sleep, so `make run` stops that much sooner.
    CELERY_WORKER_TIMER_PRECISION = 0.1
else:
    # Redis redelivers an unacknowledged task after this long: keep it above the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# A pool process is replaced once its peak memory has reached this much (KiB, ru_maxrss, checked after each
# task), not after a count of tasks: a night's 4,000 tasks no longer replace processes (and open new
# database connections) in a steady state, and a process that does grow is still replaced. The bench
# reports the largest process's peak over the whole night, so "flat memory" is measured, not assumed.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=None)
# Celery's Django fixup closes the database connection around every task unless this is set (it ignores
# CONN_MAX_AGE); with it, a worker process keeps its connection for this many tasks, and
# payrollsync.celery applies Django's own rules around each task (close_old_connections: CONN_MAX_AGE,
# a connection with errors, CONN_HEALTH_CHECKS).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_IGNORE_RESULT = True

# --- Celery: losing the broker (README "Broker reconnection": each choice and why) -----------------
# A worker that starts while Redis is down, or loses it later, keeps trying to reconnect instead of
# exiting: a restart (docker-compose, make run's launcher) would do nothing better, and meanwhile the
# health check says "broker" is down. Waits 2, 4, ... 30 s between tries (kombu's back-off), forever.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the connection drops finishes (its outcome is in PostgreSQL, not in Redis); its
# message may be delivered again, and the ledger's conditional claim makes that second push do nothing.
# Cancelling it instead would cut pushes off mid-call to Yuki and make uncertain documents of them.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# kombu's Redis transport, with its crash on closing a lost connection turned into a connection error
# (payrollsync/broker.py): otherwise the worker exits after a Redis restart.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "payrollsync.broker:RedisTransport"
elif CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker, publishing each message atomically (payrollsync/broker.py).
    CELERY_BROKER_TRANSPORT = "payrollsync.broker:FilesystemTransport"
# Pool processes get this long to start (Celery's default is 4 s): on a busy host a slow start would
# otherwise stop the worker with "Could not start worker processes".
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env.float("CELERY_WORKER_PROC_ALIVE_TIMEOUT", default=30.0)
# Workers and beat keep LOGGING (observability.py here) (LOG_LEVEL, and the handler that feeds the vendor call metrics).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every entry expires before its next send, so a backed-up queue never runs stale copies.
    "enqueue-due-imports": {
        "task": "portal.tasks.enqueue_due_imports",
        "schedule": 600.0,
        "options": {"expires": 540.0},
    },
    "sweep": {
        "task": "portal.tasks.sweep",
        "schedule": 120.0,
        "options": {"expires": 110.0},
    },
    "heartbeat": {
        "task": "portal.tasks.heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55.0},
        "kwargs": {"source": "beat"},
    },
}
