"""A portal as a bookkeeper finds it after a few weeks of use, made by the real engine against the
sandboxes (nothing typed into the database by hand): Loket and Nmbrs runs that booked, one that
failed (a Loket client number without a payroll administration), one that partly failed, annual
documents (booked for last year, none for a year without payroll runs), a journal whose outcome is
unknown (a person must check it), notices with their e-mails, audit entries of settings changed
through the forms, and users of every role. Shared by the language tests and the accessibility tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.imports import runs
from portal.models import (
    Administration,
    EntryState,
    ImportRun,
    LedgerEntry,
    PortalRole,
    RunStatus,
    RunTrigger,
)
from sandbox.nmbrs import data as nmbrs_data
from sandbox.yuki import data as yuki_data
from tests.people import PASSWORD, make_user
from tests.support import authorise_portal_loket

TODAY = timezone.localdate()
THIS_MONTH = Period.month(TODAY.year, TODAY.month)
_LAST = TODAY.replace(day=1) - timedelta(days=1)
LAST_MONTH = Period.month(_LAST.year, _LAST.month)
LOKET_PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
              DocumentKind.WAGE_TAX_RETURN: (LAST_MONTH, THIS_MONTH)}
NMBRS_PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
              DocumentKind.WAGE_TAX_RETURN: (THIS_MONTH,), DocumentKind.SEPA: (THIS_MONTH,)}


@dataclass
class Portal:
    admin: object  # alice, portal administrator
    domain_user: object  # carol, backoffice of the Korenschoof domain
    korenschoof: Administration  # Loket, booked
    vandijk: Administration  # Loket, failed: no payroll administration at that client number
    holding: Administration  # Nmbrs, booked, annual documents, a journal to check
    dry_run: ImportRun
    booked_run: ImportRun
    failed_run: ImportRun
    annual_run: ImportRun
    empty_annual_run: ImportRun
    checked_entry: LedgerEntry
    document: LedgerEntry
    annual_document: LedgerEntry
    emails: list


def _import(administration, plan, *, category="payroll", dry_run=False) -> ImportRun:
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan, category=category, dry_run=dry_run)
    tasks.enqueue(run)  # eager Celery: runs right here, with its pushes
    run.refresh_from_db()
    return run


def _change_through_the_forms(admin, administration) -> None:
    """Audit entries the way they arise: a person saving forms (portal settings, an administration,
    a user), as the portal's Dutch-speaking administrator."""
    web = Client()
    web.force_login(admin)
    data = _forms_on(web, reverse("portal:settings"))
    data.update({"section": "import", "import-last_day": "10", "import-import_sepa_files": "on"})
    assert web.post(reverse("portal:settings"), data).status_code == 302
    # The portal's Nmbrs credentials, checked with the Nmbrs sandbox (status and check time change too).
    response = web.post(reverse("portal:settings"), {
        "section": "nmbrs", "nmbrs-login_email": nmbrs_data.DEMO_USERNAME, "nmbrs-api_token": nmbrs_data.DEMO_TOKEN,
        "nmbrs-tenant_key": nmbrs_data.DEMO_DOMAIN, "nmbrs-tenant_name": nmbrs_data.DEMO_TENANT_NAME})
    assert response.status_code == 302
    edit = reverse("portal:administration-edit", args=[administration.pk])
    data = _forms_on(web, edit)
    data.update({"wage_tax_number": "812345678L01", "relation_code": "40123"})
    data.pop("use_portal_import_settings", None)  # its own import settings from now on
    assert web.post(edit, data).status_code == 302
    response = web.post(reverse("portal:user-create"), {
        "username": "frank", "email": "frank@example.nl", "is_active": "on", "portal_role": "backoffice",
        "password": "een-lang-genoeg-wachtwoord"})
    assert response.status_code == 302


def _forms_on(web, url) -> dict:
    """What the browser would send back unchanged: every field of every form on the page."""
    from django.forms import BaseForm

    data = {}
    for context in web.get(url).context:
        for value in context.flatten().values():
            if not isinstance(value, BaseForm):
                continue
            for field in value:
                current = field.value()
                if current is None or current is False:
                    continue
                data[field.html_name] = "on" if current is True else current
    return data


def _send_petty_cash(admin, administration) -> None:
    """A petty cash statement through the Kas page's own path: booked in the Yuki sandbox, a run of its own."""
    from portal import petty_cash
    from portal.imports import petty_cash_sending

    header = ";".join(petty_cash.HEADERS)
    prepared, errors = petty_cash.read_text(f"{header}\r\n10000;Kas;KOF;4000;Koffiehuis;02-11-2026;Koffie;-12,50;;P-1;"
                                            f"Verbouwing\r\n10000;Kas;;;;03-11-2026;Contante verkoop;40,00;;;\r\n")
    assert not errors, errors
    sent = petty_cash_sending.send(administration, prepared, admin)
    assert sent.outcome == petty_cash_sending.Sent.BOOKED, sent.message


def build() -> Portal:
    from sandbox.demo import seed_demo_data

    mail.outbox = []
    admin = make_user("alice", PortalRole.ADMINISTRATOR)
    make_user("bob", PortalRole.BACKOFFICE)
    seed_demo_data()
    korenschoof = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)
    vandijk = Administration.objects.get(yuki_administration_id=yuki_data.OTHER_ADMINISTRATION_ID)
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)
    domain_user = make_user("carol", domains=[korenschoof.domain])
    authorise_portal_loket()

    # First a dry run (what would be booked: journal lines with amounts, files with their Yuki folder).
    dry_run = _import(korenschoof, LOKET_PLAN, dry_run=True)
    booked_run = _import(korenschoof, LOKET_PLAN)
    assert booked_run.status == RunStatus.SUCCEEDED, booked_run.result
    # Zorggroep Het Anker's client number, with Van Dijk's wage tax number: Loket has no such payroll.
    Administration.objects.filter(pk=vandijk.pk).update(relation_code="40125")
    failed_run = _import(vandijk, LOKET_PLAN)
    assert failed_run.status == RunStatus.FAILED, failed_run.result

    holding_run = _import(holding, NMBRS_PLAN)
    assert holding_run.status in (RunStatus.SUCCEEDED, RunStatus.PARTLY_FAILED), holding_run.result
    annual_run = _import(holding, {DocumentKind.ANNUAL_DOCUMENT: (Period.whole_year(TODAY.year - 1),)},
                         category="annual")
    empty_annual_run = _import(holding, {DocumentKind.ANNUAL_DOCUMENT: (Period.whole_year(TODAY.year - 5),)},
                               category="annual")
    # A journal whose outcome Yuki left unknown and that only a person can settle ("Te controleren").
    journal = LedgerEntry.objects.filter(administration=holding, kind="journal").first()
    LedgerEntry.objects.filter(pk=journal.pk).update(
        state=EntryState.NEEDS_CHECK, check_by_person=True, attempted_at=timezone.now())
    # A payslip corrected at the source (its page says what changed) that later came back in a form the portal
    # could not compare (its page says so, and what to do): both texts read in either language.
    payslip = LedgerEntry.objects.filter(administration=korenschoof, kind="payslip").first()
    LedgerEntry.objects.filter(pk=payslip.pk).update(version=2, unreadable_change_at=timezone.now(), changes=[
        {"item": "Brutoloon", "field": "text", "before": "EUR 3.100,00", "after": "EUR 3.150,00"},
        {"item": "A. de Boer (2611-1)", "field": "amount", "before": "2170.00", "after": "2205.00"}])
    _change_through_the_forms(admin, korenschoof)
    _send_petty_cash(admin, korenschoof)
    return Portal(
        admin=admin, domain_user=domain_user, korenschoof=korenschoof, vandijk=vandijk, holding=holding,
        dry_run=dry_run, booked_run=booked_run, failed_run=failed_run, annual_run=annual_run, empty_annual_run=empty_annual_run,
        checked_entry=journal, document=LedgerEntry.objects.filter(administration=korenschoof, kind="payslip").first(),
        annual_document=LedgerEntry.objects.filter(kind="annual_document").first(), emails=list(mail.outbox))


def log_in(user, password=PASSWORD) -> Client:
    web = Client()
    web.force_login(user)
    return web
