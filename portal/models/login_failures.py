from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One refused login for an account name, from any address (a wrong password or a wrong second-factor
    code). django-axes locks a name per address; these rows let portal/account_lock.py see a slow spray
    from many addresses against one account. Only failures that were checked are kept (not the refused
    attempts while locked), and only for the window the rule looks at."""

    username = models.CharField(max_length=150)  # portal.login_throttle.normalized_username
    address = models.GenericIPAddressField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "at"])]

    def __str__(self):
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
