"""What the health endpoint and `manage.py healthcheck` check, by name (django-health-check checks).

database, cache: django-health-check's own. broker: a connection to Celery's broker (Redis or the
embedded folder). worker: the workers' own heartbeat (every HEARTBEAT_SECONDS, payrollsync/celery.py).
beat: the heartbeat task beat sends every minute, run by a worker, so a fresh one proves the schedule
reaches the workers. wsdl_cache: the folder where the Yuki WSDLs are cached can be written.
"""

from __future__ import annotations

import dataclasses
import datetime
import socket
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable

# The worker writes its heartbeat this often; beat sends its heartbeat task every 60 s (settings).
HEARTBEAT_SECONDS = 30
# A heartbeat older than this means the process is gone (three missed beats of the slower one).
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker Celery sends to answers (Redis, or the embedded broker's folders)."""

    def run(self):
        # The project's Celery app (payrollsync/__init__.py loads it at start-up), found through Celery
        # rather than imported: payrollsync.celery imports this module for the workers' heartbeat.
        from celery import current_app as app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as exc:  # kombu raises the transport's own errors
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
            if not folder.is_dir():
                raise ServiceUnavailable("the embedded broker's folder is missing")


@dataclasses.dataclass
class Heartbeat(HealthCheck):
    """A ServiceHeartbeat row ('worker' or 'beat') seen recently."""

    service: str = "worker"

    def run(self):
        from django.db import connection

        from portal.models import ServiceHeartbeat

        try:  # runs in a worker thread of its own: its connection must not outlive the check
            seen = ServiceHeartbeat.objects.filter(name=self.service).values_list("seen_at", flat=True).first()
        finally:
            connection.close()
        if seen is None:
            raise ServiceUnavailable(f"no {self.service} heartbeat yet")
        if timezone.now() - seen > HEARTBEAT_STALE_AFTER:
            raise ServiceUnavailable(f"{self.service} last seen {seen.isoformat(timespec='seconds')}")


@dataclasses.dataclass
class WsdlCache(HealthCheck):
    """The Yuki WSDL cache folder exists (or can be made) and can be written."""

    def run(self):
        folder = Path(settings.YUKI_WSDL_CACHE_DIR)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
                pass
        except OSError as exc:
            raise ServiceUnavailable(f"WSDL cache folder not writable ({exc.strerror})") from exc


def checks() -> dict[str, HealthCheck]:
    return {
        "database": Database(),
        "broker": Broker(),
        "cache": Cache(),
        "worker": Heartbeat(service="worker"),
        "beat": Heartbeat(service="beat"),
        "wsdl_cache": WsdlCache(),
    }


async def run_checks(names=None) -> dict[str, str]:
    """{name: 'OK' or the problem}, for the chosen checks (all by default), run concurrently."""
    import asyncio

    chosen = {name: check for name, check in checks().items() if names is None or name in names}
    results = await asyncio.gather(*(check.get_result() for check in chosen.values()))
    return {name: "OK" if result.error is None else str(result.error) for name, result in zip(chosen, results, strict=True)}


def record_heartbeat(service: str) -> None:
    from portal.models import ServiceHeartbeat

    ServiceHeartbeat.objects.update_or_create(name=service, defaults={"seen_at": timezone.now(),
                                                                      "hostname": socket.gethostname()})
