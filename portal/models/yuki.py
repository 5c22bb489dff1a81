from django.db import models

from portal.fields import EncryptedTextField


class YukiCallCount(models.Model):
    """Yuki calls made per Yuki domain per day (Europe/Amsterdam): the 1000/day limit is per domain."""

    domain_id = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    # Yuki itself answered "daily limit reached" that day (other apps count too): no more calls until tomorrow.
    limit_reached = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain_id", "day"], name="one_call_count_per_domain_day")]

    def __str__(self):
        return f"{self.domain_id} {self.day}: {self.count}"


class YukiSession(models.Model):
    """A Yuki session ID shared by all workers, keyed by a fingerprint of the access key (never the key)."""

    fingerprint = models.CharField(max_length=64, unique=True)
    session_id = EncryptedTextField()  # grants access while it lives: a secret too
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"session {self.fingerprint[:8]}… until {self.expires_at:%Y-%m-%d %H:%M}"
