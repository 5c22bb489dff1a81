"""A correction in Chromium: Nmbrs generates every file anew on each request, so a second import of an
unchanged month books nothing; then Nmbrs corrects an amount, and the next import books one new version of
the payslips, whose page says what changed ("Brutoloon: EUR 3.125,00 → EUR 3.175,00")."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from integrations.nmbrs.models import NmbrsCredentials
from payrollsync.celery import app as celery_app
from portal.models import Administration, Domain, ImportSettings, LedgerEntry, Notice, PortalRole
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data as nmbrs_data
from sandbox.nmbrs.payroll import _run_id
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.people import make_user
from tests.vendor_state import make_administration

NOW = datetime(2026, 11, 18, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def eager_imports():
    """The import runs inside the "Import now" request (the test's clock reaches it; no worker process)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def bakkerij() -> Administration:
    domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                   payroll_link_active=True)
    return make_administration(
        domain=domain, name="Bakkerij Jansen B.V.", yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID,
        yuki_access_key=yuki_data.DEMO_ACCESS_KEY, source="nmbrs", nmbrs_company_id=50001,
        nmbrs_company_number="101", use_portal_import_settings=False,
        own_import_settings=ImportSettings.objects.create(auto_import=True),
        own_nmbrs_credentials=NmbrsCredentials.objects.create(
            login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN,
            tenant_key=nmbrs_data.DEMO_DOMAIN, status=ConnectionStatus.AUTHORISED))


def importer(journey, administration, clock):
    def import_now():
        journey.goto(f"/administrations/{administration.pk}/")
        journey.page.get_by_test_id("import-now").click()
        journey.page.wait_for_url("**/runs/*/")
        wait_for_text(journey.page, "run-status", "^Afgerond$")
        clock.shift(timedelta(hours=1))
    return import_now


def test_a_correction_is_booked_once_and_its_page_says_what_changed(journey, vendors, eager_imports):
    with time_machine.travel(NOW, tick=True) as clock:
        administration = bakkerij()
        journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
        page, yuki = journey.page, vendors["yuki"].app
        import_now = importer(journey, administration, clock)

        import_now()
        booked = len(yuki.state.archive) + len(yuki.state.journals)
        assert booked > 0
        import_now()  # every file generated anew by the sandbox: nothing booked again
        assert "0 geboekt" in page.locator("main").inner_text()
        assert len(yuki.state.archive) + len(yuki.state.journals) == booked

        # Nmbrs corrects November: A. de Boer earns 50.00 more gross.
        vendors["nmbrs"].app.state.correct_run(50001, _run_id(50001, 2026, 11), employee_number=1,
                                               extra_gross=Decimal("50.00"))
        import_now()
        payslip = LedgerEntry.objects.get(administration=administration, kind="payslip", period="2026-11")
        assert payslip.version == 2 and payslip.state == "booked"

        journey.goto(f"/administrations/{administration.pk}/")
        page.locator("#documents").get_by_role("link", name=payslip.title).click()
        page.wait_for_url(f"**/documents/{payslip.pk}/")
        assert page.get_by_role("heading", name="Wat er in versie 2 veranderde").is_visible()
        changes = page.get_by_test_id("changes").inner_text()
        assert "Brutoloon: EUR 3.125,00 → EUR 3.175,00" in changes, changes
        history = page.get_by_test_id("history").inner_text()
        assert "Gewijzigd: Brutoloon: EUR 3.125,00 → EUR 3.175,00" in history

        import_now()  # and the corrected version, generated anew, is not booked a third time
        payslip.refresh_from_db()
        assert payslip.version == 2


def test_a_change_that_cannot_be_read_is_shown_and_not_booked(journey, vendors, eager_imports, monkeypatch):
    """Payslips the portal cannot read (no text, like a scan), generated anew each time: booked once; then
    a person is told, on the dashboard's notice and on the document's page, and nothing is booked again."""
    from sandbox.nmbrs import files

    monkeypatch.setattr(files, "payslips_pdf", lambda company, run, lines: b"%PDF-1.4 scanned " + os.urandom(8))
    with time_machine.travel(NOW, tick=True) as clock:
        administration = bakkerij()
        journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
        page = journey.page
        import_now = importer(journey, administration, clock)
        import_now()
        payslip = LedgerEntry.objects.get(administration=administration, kind="payslip", period="2026-11")
        assert (payslip.state, payslip.fingerprint["scheme"]) == ("booked", "bytes")
        import_now()
        import_now()
        payslip.refresh_from_db()
        assert payslip.version == 1 and payslip.state == "booked", "not booked again"

        notice = Notice.objects.get(key=f"unreadable-change-{administration.pk}")
        assert notice.resolved_at is None and "kon niet worden vergeleken" in notice.title
        assert notice.repeats == 1, "once: the same document's later fetches add nothing"
        journey.goto(notice.link)
        warning = page.get_by_test_id("unreadable-change").inner_text()
        assert "niet opnieuw geboekt" in warning and "vergelijk het in de salarisbron en in Yuki" in warning
        history = page.get_by_test_id("history").inner_text()
        assert history.count("Het is niet opnieuw geboekt") == 1, "said once in the history, not at every fetch"
