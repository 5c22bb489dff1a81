"""The demo path in a real browser, against the live portal, the sandboxes and a real Celery worker:
connect Loket ("Verbind met Loket", log in, "Toestaan"), press "Nu importeren", watch the progress
update by itself, and find the booked journal and PDFs in the Yuki sandbox's own view."""

from __future__ import annotations

import pytest
from django.db import connections

from portal.models import Administration, EntryState, LedgerEntry, PortalRole
from sandbox.demo import seed_demo_data
from sandbox.loket import data as loket_data
from sandbox.yuki import data as yuki_data
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


@pytest.mark.django_db(transaction=True)
def test_connect_import_and_see_it_in_yuki(live_server, vendors, worker, page, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PORTAL_BASE_URL = live_server.url
    # Yuki takes its time over each upload, so the run page is seen while the import runs.
    vendors["yuki"].app.faults.add("delay", vendor="yuki", operation="UploadDocument", seconds=0.3, times=0)
    page.set_default_timeout(30_000)
    make_user("alice", PortalRole.ADMINISTRATOR)
    seed_demo_data()
    administration = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)
    connections.close_all()

    page.goto(f"{live_server.url}/settings/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")
    page.get_by_role("button", name="Verbind met Loket").click()
    page.get_by_label("Gebruikersnaam").fill(loket_data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(loket_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()
    page.get_by_test_id("loket-authorised").wait_for()

    page.goto(f"{live_server.url}/administrations/{administration.pk}/")
    page.get_by_test_id("import-now").click()
    page.wait_for_url(f"{live_server.url}/runs/*/")
    status = page.get_by_test_id("run-status")
    assert status.inner_text() in ("In de wachtrij", "Bezig"), "the run page opens while the import runs"
    # No reload from here on: htmx polls the progress until the run ends.
    # A locator, not wait_for_function: the Content-Security-Policy forbids the eval that one needs.
    page.locator("[data-testid=run-status]:text-is('Afgerond')").wait_for(timeout=60_000)
    booked = int(page.get_by_test_id("run-booked").inner_text())
    assert booked > 0
    page.screenshot(path="/tmp/e2e_run.png", full_page=True)

    yuki_view = vendors["yuki"].url + "/"
    page.goto(yuki_view)
    page.get_by_role("link", name="Bakkerij De Korenschoof B.V.").click()
    journals = page.locator(".journal")
    files = page.locator("table.archive tr td a")
    assert journals.count() >= 1 and "journaal" in journals.first.inner_text().lower()
    assert files.count() >= 1
    assert "Personeel" in page.locator("table.archive").inner_text(), "payslips in the personnel folder"
    pdf = page.request.get(page.locator("table.archive a", has_text=".pdf").first.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.screenshot(path="/tmp/e2e_yuki.png", full_page=True)

    try:
        # This month's wage tax return is not final yet in the sandbox: it waits at the source, not booked.
        entries = LedgerEntry.objects.filter(administration=administration).exclude(
            state=EntryState.WAITING_AT_SOURCE)
        assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
        state = vendors["yuki"].app.state
        in_yuki = [j.subject for j in state.journals] + [f.file_name for f in state.archive]
        assert len(in_yuki) == len(set(in_yuki)) == entries.count() == booked, "each document exactly once"
    finally:
        connections.close_all()
