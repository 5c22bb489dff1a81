"""Demo domains and administrations for sandbox mode, wired to the sandboxes' known accounts.

Idempotent: running it again changes nothing that exists. The Loket connection is not faked: the
demo user connects Loket in the browser ("Verbind met Loket", log in at the sandbox, "Toestaan").
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from integrations.nmbrs.models import NmbrsCredentials, NmbrsLink
from portal.models import Administration, AssignedEmployer, Domain, PortalSettings
from portal.models.connections import ConnectionStatus
from sandbox.loket import data as loket
from sandbox.nmbrs import data as nmbrs
from sandbox.yuki import data as yuki

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "sandbox-demo"


def seed_demo_data() -> list[str]:
    portal = PortalSettings.load()
    if not portal.import_settings.auto_import:
        portal.import_settings.auto_import = True
        portal.import_settings.save()

    korenschoof, _ = Domain.objects.get_or_create(
        yuki_domain_id=yuki.DEMO_DOMAIN_ID, defaults={"name": "Bakkerij De Korenschoof", "payroll_link_active": True})
    vandijk, _ = Domain.objects.get_or_create(
        yuki_domain_id=yuki.OTHER_DOMAIN_ID, defaults={"name": "Installatiebedrijf Van Dijk",
                                                       "payroll_link_active": True})
    _administration(korenschoof, "Bakkerij De Korenschoof B.V.", yuki.DEMO_ADMINISTRATION_ID, yuki.DEMO_ACCESS_KEY,
                    source="loket", relation_code="40123", wage_tax_number="812345678L01")
    _administration(vandijk, "Installatiebedrijf Van Dijk B.V.", yuki.OTHER_ADMINISTRATION_ID, yuki.OTHER_ACCESS_KEY,
                    source="loket", relation_code="40124", wage_tax_number="823456705L01")
    # The portal's shared Loket access reaches each domain's own employer only (portal/sources/shared_access.py).
    _assign(korenschoof, "loket", "40123", "812345678L01", "Bakkerij De Korenschoof B.V.")
    _assign(vandijk, "loket", "40124", "823456705L01", "Schildersbedrijf Van Dijk")
    holding = _administration(korenschoof, "Korenschoof Holding B.V.", yuki.DEMO_SECOND_ADMINISTRATION_ID,
                              yuki.DEMO_ACCESS_KEY, source="nmbrs", relation_code="101")
    link, created = NmbrsLink.objects.get_or_create(administration=holding)
    if created or link.own_credentials is None:  # the demo's own credentials, linked to its company
        link.company_id, link.company_number, link.company_name = 50001, "101", "Bakkerij Jansen B.V."
        link.use_portal_credentials = False
        link.own_credentials = NmbrsCredentials.objects.create(
            login_email=nmbrs.DEMO_USERNAME, api_token=nmbrs.DEMO_TOKEN, tenant_key=nmbrs.DEMO_DOMAIN,
            tenant_name=nmbrs.DEMO_TENANT_NAME, status=ConnectionStatus.AUTHORISED)
        link.save()

    return [gettext("Domain '%(domain)s': %(administrations)s") % {
                "domain": d.name, "administrations": ", ".join(a.name for a in d.administrations.all())}
            for d in (korenschoof, vandijk)]


def demo_logins() -> list[str]:
    """What `make run` and seed_demo print after the address: the demo logins, one line each.
    A sandbox with a login of its own adds its line here."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return [
        gettext("Portal administrator: %(username)s / %(password)s") % {
            "username": DEMO_ADMIN_USERNAME, "password": DEMO_ADMIN_PASSWORD},
        gettext("Loket sandbox (after 'Connect to Loket'): %(username)s / %(password)s") % {
            "username": loket.DEMO_USERNAME, "password": loket.DEMO_PASSWORD},
        gettext("Nmbrs sandbox credentials: login e-mail %(email)s, API token %(token)s, tenant key %(tenant)s") % {
            "email": nmbrs.DEMO_USERNAME, "token": nmbrs.DEMO_TOKEN, "tenant": nmbrs.DEMO_DOMAIN},
        gettext("Yuki sandbox: access key (API key) %(key)s, administration IDs %(first)s and %(second)s "
                "(domain %(domain)s); other demo domain: access key %(other_key)s, administration %(other)s") % {
            "key": yuki.DEMO_ACCESS_KEY, "first": yuki.DEMO_ADMINISTRATION_ID,
            "second": yuki.DEMO_SECOND_ADMINISTRATION_ID, "domain": yuki.DEMO_DOMAIN_ID,
            "other_key": yuki.OTHER_ACCESS_KEY, "other": yuki.OTHER_ADMINISTRATION_ID},
        gettext("What Yuki received: %(url)s") % {"url": f"{base}/sandbox/yuki/"},
    ]


def _assign(domain, source, number, wage_tax_number, name) -> None:
    AssignedEmployer.objects.get_or_create(source=source, number=number, wage_tax_number=wage_tax_number,
                                           defaults={"domain": domain, "name": name})


def _administration(domain, name, yuki_id, key, **fields) -> Administration:
    administration, _ = Administration.objects.get_or_create(
        domain=domain, yuki_administration_id=yuki_id,
        defaults={"name": name, "yuki_access_key": key, **fields})
    return administration


def forget_vendor_state() -> str:
    """The local run's simulated vendors (mounted under /sandbox/) start empty each time (their state lives in
    the web server's memory): the portal forgets with them what it knew of them, so it never shows "Geboekt" for a
    document the Yuki sandbox does not have, or a Loket authorisation the Loket sandbox does not know.

    Forgotten: the Importlog, the documents and their bookings, the notices, the Yuki call counts and
    sessions, the Loket authorisations. Kept: domains, administrations, users, settings, the audit log.
    Returns what to tell the person ('' when there was nothing to forget)."""
    from django.db import transaction

    from integrations.loket.models import LoketConnection
    from portal.models import ImportRun, LedgerEntry, Notice, YukiCallCount, YukiSession

    forgotten = 0
    with transaction.atomic():
        if not settings.YUKI_BASE_URL:  # the mounted Yuki sandbox, not one running elsewhere
            forgotten += sum(model.objects.all().delete()[0] for model in (
                LedgerEntry, ImportRun, Notice, YukiCallCount, YukiSession))
        if settings.LOKET_ENVIRONMENT == "sandbox" and not settings.LOKET_SANDBOX_URL:  # the mounted Loket sandbox
            forgotten += LoketConnection.objects.exclude(status=ConnectionStatus.NOT_CONNECTED).update(
                access_token="", refresh_token="", access_token_expires_at=None,
                status=ConnectionStatus.NOT_CONNECTED, status_reason="", authorised_at=None, authorised_by=None)
    if not forgotten:
        return ""
    return gettext("The simulated vendors start empty, so the portal forgot what it knew of them: the Importlog, "
                   "the documents, the notices and the Loket authorisation (click 'Connect to Loket' again).")
