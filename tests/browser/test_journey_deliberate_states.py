"""States a person chose or must wait for are no failures (Chromium, a real worker, the sandboxes).

- The domain's payroll link feature (the contract) switched off: "Import now" is skipped, not failed.
- Annual documents asked for a year that is not closed yet: the run is skipped and says why.
- A run whose documents wait for tomorrow's Yuki budget says so in its status (not "Afgerond").

None of them leaves a notice (the dashboard's, which is also what e-mails a person).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.models import Administration, Notice, PortalRole
from sandbox.demo import seed_demo_data
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.people import make_user
from tests.support import celery_worker

FINISHED = "^(Afgerond|Mislukt|Deels mislukt|Overgeslagen|Wacht op budget)$"


@pytest.fixture
def small_budget_worker(live_server, vendors, settings):
    """A worker whose Yuki budget per domain is 3 calls a day: log in and two documents."""
    settings.YUKI_DAILY_BUDGET = 3
    with celery_worker(settings, concurrency=2, YUKI_BASE_URL=settings.YUKI_BASE_URL, YUKI_DAILY_BUDGET=3,
                       YUKI_WSDL_CACHE_DIR=settings.YUKI_WSDL_CACHE_DIR, LOKET_ENVIRONMENT="sandbox",
                       LOKET_SANDBOX_URL=settings.LOKET_SANDBOX_URL, NMBRS_ENVIRONMENT=settings.NMBRS_ENVIRONMENT,
                       PORTAL_BASE_URL=live_server.url) as process:
        yield process


def import_now(journey, administration) -> str:
    """Press "Import now" on the administration's page; the run page's status once the run ends."""
    page = journey.page
    journey.goto(f"/administrations/{administration.pk}/")
    page.get_by_test_id("import-now").click()
    page.wait_for_url("**/runs/*/")
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    return page.get_by_test_id("run-status").inner_text().strip()


def test_chosen_and_awaited_states_are_not_failures(journey, vendors, small_budget_worker):
    seed_demo_data()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)

    # Annual documents of this year: the year is not closed, so there is nothing to fetch yet.
    journey.goto("/annual-documents/")
    page.fill("#id_year", str(timezone.localdate().year))
    page.get_by_label(holding.name).check()
    page.get_by_role("button", name="Jaarwerk ophalen").click()
    page.wait_for_url("**/runs/")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=run-log-status]')]
        .every(el => !['In de wachtrij', 'Bezig'].includes(el.innerText.trim()))""", timeout=90_000)
    assert page.locator("[data-testid=run-log-status]").first.inner_text().strip() == "Overgeslagen"
    page.locator("[data-testid=run-log-status]").first.click()
    assert "nog geen jaarwerk" in page.locator("main").inner_text().lower()
    assert not Notice.objects.exists()

    # Documents beyond today's Yuki budget wait for tomorrow: the status says so.
    assert import_now(journey, holding) == "Wacht op budget"
    assert "wacht" in page.get_by_test_id("run-result").inner_text()
    assert not Notice.objects.exists()

    # The contract's payroll link feature off (the domain's page): nothing is imported, and that is no failure.
    journey.goto(f"/domains/{holding.domain.pk}/edit/")
    page.locator("#id_payroll_link_active").uncheck()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/domains/{holding.domain.pk}/")
    assert import_now(journey, holding) == "Overgeslagen"
    assert "contract" in page.get_by_test_id("run-result").inner_text()
    assert not Notice.objects.exists()
    journey.goto("/")
    assert not page.get_by_test_id("notice").count()
