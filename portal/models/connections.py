"""The state of a connection to a payroll source, the same words for every source (their models use it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectionStatus(models.TextChoices):
    NOT_CONNECTED = "not_connected", _("Not connected")
    AUTHORISED = "authorised", _("Authorised")
    # Refresh failed for good (invalid_grant after a re-read): a person must authorise again.
    BROKEN = "broken", _("Re-authorisation needed")
