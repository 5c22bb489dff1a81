"""Loket's state, owned by this app: the OAuth connections, each administration's link (which access it
uses) and the portal's shared access.

`LoketConnection` was a portal model: its table keeps the name it had (`portal_loketconnection`), so an
installed portal keeps its rows and tokens (migrations/0001_initial.py moves it by state only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField
from portal.models.connections import ConnectionStatus


class LoketConnection(models.Model):
    """OAuth tokens for Loket: the portal's (LoketPortalAccess) or an administration's own (LoketLink)."""

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
        db_table = "portal_loketconnection"  # its table from before it moved here: rows stay where they are
        verbose_name = _("Loket connection")

    def __str__(self):
        return f"Loket ({self.environment}): {self.get_status_display()}"

    @property
    def is_authorised(self) -> bool:
        return self.status == ConnectionStatus.AUTHORISED and bool(self.refresh_token)


class LoketLink(models.Model):
    """How one administration reaches Loket: the portal's shared access, or its own connection. Its
    employer (client number = the administration's Relatiecode, and loonheffingennummer) is on the
    administration: both are the employer's, not Loket's."""

    administration = models.OneToOneField("portal.Administration", on_delete=models.CASCADE, primary_key=True,
                                          related_name="loket_link")
    use_portal_access = models.BooleanField(_("use the portal's Loket access"), default=True)
    own_connection = models.OneToOneField(LoketConnection, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")

    class Meta:
        verbose_name = _("Loket link")

    def __str__(self):
        return str(self.administration)


class LoketPortalAccess(models.Model):
    """The portal's own Loket connection (one row, with the portal settings), shared by the administrations
    that use the portal's access."""

    portal = models.OneToOneField("portal.PortalSettings", on_delete=models.CASCADE, primary_key=True,
                                  related_name="loket_access")
    connection = models.OneToOneField(LoketConnection, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = _("portal's Loket access")

    def __str__(self):
        return str(_("portal's Loket access"))


def link_of(administration) -> LoketLink:
    """The administration's link; a new (unsaved) one with the defaults while it has none."""
    try:
        return administration.loket_link
    except LoketLink.DoesNotExist:
        link = LoketLink(administration=administration) if administration.pk else LoketLink()
        administration._state.fields_cache["loket_link"] = link  # the same one on the next call
        return link


def portal_connection(portal) -> LoketConnection | None:
    try:
        return portal.loket_access.connection
    except LoketPortalAccess.DoesNotExist:
        return None


def set_portal_connection(portal, connection: LoketConnection | None) -> None:
    LoketPortalAccess.objects.update_or_create(portal=portal, defaults={"connection": connection})
    portal._state.fields_cache.pop("loket_access", None)  # read anew by the next portal_connection(portal)
