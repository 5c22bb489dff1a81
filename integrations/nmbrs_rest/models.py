"""Nmbrs REST's state, owned by this app: the portal's registered app (client id and secret, the product
subscription key), the OAuth connections (tokens encrypted), each administration's link (which connection,
which company) and the portal's shared connection.

docs/vendors/nmbrs-rest.md, "Authorisation": the app (client id/secret, redirect URI) is registered with
Nmbrs once per portal; the subscription key is the product's, once per portal too; each grant is a Nmbrs
user's, so an administration may use the portal's grant or one of its own (as Nmbrs SOAP's credentials).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField
from portal.models.connections import ConnectionStatus


class NmbrsRestConnection(models.Model):
    """One Nmbrs user's grant: the tokens (refresh tokens are single-use: rotated under a row lock)."""

    environment = models.CharField(_("Nmbrs REST environment"), max_length=200)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.TextField(_("permissions granted"), blank=True)
    status = models.CharField(_("connection status"), max_length=20, choices=ConnectionStatus.choices,
                              default=ConnectionStatus.NOT_CONNECTED)
    status_reason = models.TextField(_("explanation of the status"), blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Nmbrs REST connection")

    def __str__(self):
        return f"Nmbrs REST ({self.environment}): {self.get_status_display()}"

    @property
    def is_authorised(self) -> bool:
        return self.status == ConnectionStatus.AUTHORISED and bool(self.refresh_token)


class NmbrsRestPortalAccess(models.Model):
    """The portal's registered Nmbrs app and subscription key (secrets: never shown again) and its own
    connection, shared by the administrations that use the portal's access (one row)."""

    portal = models.OneToOneField("portal.PortalSettings", on_delete=models.CASCADE, primary_key=True,
                                  related_name="nmbrs_rest_access")
    client_id = models.CharField(_("Client ID (Nmbrs app)"), max_length=200, blank=True)
    client_secret = EncryptedTextField(_("Client secret (Nmbrs app)"), blank=True)
    subscription_key = EncryptedTextField(_("Subscription key (Nmbrs product)"), blank=True)
    connection = models.OneToOneField(NmbrsRestConnection, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = _("portal's Nmbrs REST access")

    def __str__(self):
        return str(_("portal's Nmbrs REST access"))


class NmbrsRestLink(models.Model):
    """How one administration reaches Nmbrs' REST API: the portal's connection or its own, and the company
    it is linked to (a UUID in REST; its number is what SOAP and REST share)."""

    administration = models.OneToOneField("portal.Administration", on_delete=models.CASCADE, primary_key=True,
                                          related_name="nmbrs_rest_link")
    use_portal_access = models.BooleanField(_("use the portal's Nmbrs REST access"), default=True)
    own_connection = models.OneToOneField(NmbrsRestConnection, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    company_id = models.CharField(_("Nmbrs company (REST ID)"), max_length=40, blank=True)
    company_number = models.CharField(_("Nmbrs company number"), max_length=40, blank=True)
    company_name = models.CharField(_("Nmbrs company name"), max_length=200, blank=True)
    debtor_id = models.CharField(max_length=40, blank=True)
    # Set when the administration moved here from Nmbrs SOAP (integrations/nmbrs_rest/moving.py).
    moved_from_soap_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Nmbrs REST link")

    def __str__(self):
        return str(self.administration)


def link_of(administration) -> NmbrsRestLink:
    """The administration's link; a new (unsaved) one with the defaults while it has none."""
    try:
        return administration.nmbrs_rest_link
    except NmbrsRestLink.DoesNotExist:
        link = NmbrsRestLink(administration=administration) if administration.pk else NmbrsRestLink()
        administration._state.fields_cache["nmbrs_rest_link"] = link
        return link


def portal_access(portal) -> NmbrsRestPortalAccess:
    """The portal's row; a new (unsaved) one while there is none."""
    try:
        return portal.nmbrs_rest_access
    except NmbrsRestPortalAccess.DoesNotExist:
        return NmbrsRestPortalAccess(portal=portal)


def portal_connection(portal) -> NmbrsRestConnection | None:
    return portal_access(portal).connection


def set_portal_connection(portal, connection: NmbrsRestConnection | None) -> None:
    NmbrsRestPortalAccess.objects.update_or_create(portal=portal, defaults={"connection": connection})
    portal._state.fields_cache.pop("nmbrs_rest_access", None)
