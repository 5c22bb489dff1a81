from django.db import models


class ServiceHeartbeat(models.Model):
    """Last sign of life of the worker and the beat scheduler, shown on the dashboard."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
