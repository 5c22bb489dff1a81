from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField


class ConnectionStatus(models.TextChoices):
    NOT_CONNECTED = "not_connected", _("Not connected")
    AUTHORISED = "authorised", _("Authorised")
    # Refresh failed for good (invalid_grant after a re-read): a person must authorise again.
    BROKEN = "broken", _("Re-authorisation needed")


class LoketConnection(models.Model):
    """OAuth tokens for Loket: the portal's (PortalSettings.loket_connection) or an administration's own."""

    environment = models.CharField(_("Loket environment"), max_length=20)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField()
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices,
                              default=ConnectionStatus.NOT_CONNECTED)
    status_reason = models.TextField(blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Loket connection")

    def __str__(self):
        return f"Loket ({self.environment}): {self.get_status_display()}"

    @property
    def is_authorised(self) -> bool:
        return self.status == ConnectionStatus.AUTHORISED and bool(self.refresh_token)


class NmbrsCredentials(models.Model):
    """docs/vendors/nmbrs.md: Client ID (login e-mail), Client Secret (API token), Tenant Key, Tenant Name."""

    login_email = models.EmailField(_("Client ID (Nmbrs login e-mail)"))
    api_token = EncryptedTextField(_("Client Secret (Nmbrs API token)"))
    tenant_key = models.CharField(_("Tenant Key"), max_length=100,
                                  help_text=_("The part before .nmbrs.nl, e.g. 'kantoor' for kantoor.nmbrs.nl"))
    tenant_name = models.CharField(_("Tenant Name"), max_length=200, blank=True)
    # Named for the audit log, which lists every field a save changed.
    status = models.CharField(_("connection status"), max_length=20, choices=ConnectionStatus.choices,
                              default=ConnectionStatus.NOT_CONNECTED)
    status_reason = models.TextField(_("explanation of the status"), blank=True)
    validated_at = models.DateTimeField(_("checked with Nmbrs at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Nmbrs credentials")
        verbose_name_plural = _("Nmbrs credentials")

    def __str__(self):
        return f"Nmbrs {self.login_email} @ {self.tenant_key}"
