"""Nmbrs' state, owned by this app: the API credentials, each administration's link (which credentials,
which company), the portal's shared credentials, and Nmbrs' own import options.

`NmbrsCredentials` was a portal model: its table keeps the name it had (`portal_nmbrscredentials`), so an
installed portal keeps its rows (migrations/0001_initial.py moves it by state only).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField
from portal.models.connections import ConnectionStatus


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
        db_table = "portal_nmbrscredentials"  # its table from before it moved here: rows stay where they are
        verbose_name = _("Nmbrs credentials")
        verbose_name_plural = _("Nmbrs credentials")

    def __str__(self):
        return f"Nmbrs {self.login_email} @ {self.tenant_key}"


class NmbrsLink(models.Model):
    """How one administration reaches Nmbrs: the portal's shared credentials or its own, and the company it
    is linked to (docs/vendors/nmbrs.md, "Linking administrations to companies")."""

    administration = models.OneToOneField("portal.Administration", on_delete=models.CASCADE, primary_key=True,
                                          related_name="nmbrs_link")
    use_portal_credentials = models.BooleanField(_("use the portal's Nmbrs credentials"), default=False)
    own_credentials = models.OneToOneField(NmbrsCredentials, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    company_id = models.BigIntegerField(_("Nmbrs company ID"), null=True, blank=True)
    company_number = models.CharField(_("Nmbrs company number"), max_length=40, blank=True)
    company_name = models.CharField(_("Nmbrs company name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Nmbrs link")

    def __str__(self):
        return str(self.administration)


class NmbrsPortalAccess(models.Model):
    """The portal's own Nmbrs credentials (one row, with the portal settings), shared by the administrations
    that use the portal's credentials."""

    portal = models.OneToOneField("portal.PortalSettings", on_delete=models.CASCADE, primary_key=True,
                                  related_name="nmbrs_access")
    credentials = models.OneToOneField(NmbrsCredentials, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    class Meta:
        verbose_name = _("portal's Nmbrs credentials")

    def __str__(self):
        return str(_("portal's Nmbrs credentials"))


class WageTaxReturnStatus(models.TextChoices):
    """Nmbrs wage tax return statuses to fetch (docs/vendors/nmbrs.md: default 'locked')."""

    LOCKED = "locked", _("Locked")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    ANY = "any", _("Any status")


class NmbrsImportOptions(models.Model):
    """Nmbrs' part of one ImportSettings row (the portal's or an administration's own): the portal's
    choice between them (portal.effective) decides these too."""

    import_settings = models.OneToOneField("portal.ImportSettings", on_delete=models.CASCADE, primary_key=True,
                                           related_name="nmbrs_options")
    wage_tax_return_status = models.CharField(
        _("wage tax return status to fetch (Nmbrs)"), max_length=20, choices=WageTaxReturnStatus.choices,
        default=WageTaxReturnStatus.LOCKED)
    # docs/vendors/nmbrs.md, "Linking administrations to companies" ("Bepaal of het nummer moet overeenkomen"):
    # link each Nmbrs administration to the company whose number equals its Relatiecode, automatically, and
    # report those that do not match.
    number_must_match = models.BooleanField(
        _("Nmbrs: the company number must match the Relatiecode (link automatically)"), default=False)

    # What a person sets on the import settings forms, in this order (PayrollSource.import_options).
    EDITABLE = ("wage_tax_return_status", "number_must_match")

    class Meta:
        verbose_name = _("Nmbrs import options")
        verbose_name_plural = _("Nmbrs import options")

    def __str__(self):
        return str(self.import_settings)


def link_of(administration) -> NmbrsLink:
    """The administration's link; a new (unsaved) one with the defaults while it has none."""
    try:
        return administration.nmbrs_link
    except NmbrsLink.DoesNotExist:
        link = NmbrsLink(administration=administration) if administration.pk else NmbrsLink()
        administration._state.fields_cache["nmbrs_link"] = link  # the same one on the next call
        return link


def portal_credentials(portal) -> NmbrsCredentials | None:
    try:
        return portal.nmbrs_access.credentials
    except NmbrsPortalAccess.DoesNotExist:
        return None


def set_portal_credentials(portal, credentials: NmbrsCredentials | None) -> None:
    NmbrsPortalAccess.objects.update_or_create(portal=portal, defaults={"credentials": credentials})
    portal._state.fields_cache.pop("nmbrs_access", None)  # read anew by the next portal_credentials(portal)


def options_of(import_settings) -> NmbrsImportOptions:
    """The Nmbrs options of these import settings; the defaults (unsaved) while they have none."""
    try:
        return import_settings.nmbrs_options
    except (NmbrsImportOptions.DoesNotExist, ValueError):
        return NmbrsImportOptions()
