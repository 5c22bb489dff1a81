import socket

from celery import shared_task
from django.utils import timezone

from portal.models import ServiceHeartbeat


@shared_task(name="portal.tasks.heartbeat")
def heartbeat(source: str = "worker") -> str:
    """Beat sends this every minute and a worker runs it: a fresh row proves both are alive."""
    now = timezone.now()
    ServiceHeartbeat.objects.update_or_create(name=source, defaults={"seen_at": now,
                                                                       "hostname": socket.gethostname()})
    return now.isoformat()
