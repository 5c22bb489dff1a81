"""A correction in Chromium: Nmbrs generates every file anew on each request, so a second import of an
unchanged month books nothing; then Nmbrs corrects an amount, and the next import books one new version of
the payslips, whose page says what changed ("Brutoloon: EUR 3125.00 → EUR 3175.00")."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from payrollsync.celery import app as celery_app
from portal.models import Administration, Domain, ImportSettings, LedgerEntry, NmbrsCredentials, PortalRole
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data as nmbrs_data
from sandbox.nmbrs.payroll import _run_id
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.conftest import make_user

NOW = datetime(2026, 11, 18, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def eager_imports():
    """The import runs inside the "Import now" request (the test's clock reaches it; no worker process)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def test_a_correction_is_booked_once_and_its_page_says_what_changed(journey, vendors, eager_imports):
    with time_machine.travel(NOW, tick=True) as clock:
        domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                       payroll_link_active=True)
        bakkerij = Administration.objects.create(
            domain=domain, name="Bakkerij Jansen B.V.", yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID,
            yuki_access_key=yuki_data.DEMO_ACCESS_KEY, source="nmbrs", nmbrs_company_id=50001,
            nmbrs_company_number="101", use_portal_import_settings=False,
            own_import_settings=ImportSettings.objects.create(auto_import=True),
            own_nmbrs_credentials=NmbrsCredentials.objects.create(
                login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN,
                tenant_key=nmbrs_data.DEMO_DOMAIN, status=ConnectionStatus.AUTHORISED))
        journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
        page, yuki = journey.page, vendors["yuki"].app

        def import_now():
            journey.goto(f"/administrations/{bakkerij.pk}/")
            page.get_by_test_id("import-now").click()
            page.wait_for_url("**/runs/*/")
            wait_for_text(page, "run-status", "^Afgerond$")
            clock.shift(timedelta(hours=1))

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
        payslip = LedgerEntry.objects.get(administration=bakkerij, kind="payslip", period="2026-11")
        assert payslip.version == 2 and payslip.state == "booked"

        journey.goto(f"/administrations/{bakkerij.pk}/")
        page.locator("#documents").get_by_role("link", name=payslip.title).click()
        page.wait_for_url(f"**/documents/{payslip.pk}/")
        assert page.get_by_role("heading", name="Wat er in versie 2 veranderde").is_visible()
        changes = page.get_by_test_id("changes").inner_text()
        assert "Brutoloon: EUR 3125.00 → EUR 3175.00" in changes, changes
        history = page.get_by_test_id("history").inner_text()
        assert "Gewijzigd: Brutoloon: EUR 3125.00 → EUR 3175.00" in history

        import_now()  # and the corrected version, generated anew, is not booked a third time
        payslip.refresh_from_db()
        assert payslip.version == 2
