"""The run page in a real browser reads what waits at the payroll source (Nmbrs sandbox over HTTP:
this month's wage tax return is still 'Aangemaakt')."""

import pytest
from django.db import connections
from django.utils import timezone

from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.imports import runs
from portal.models import PortalRole, RunTrigger
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step

TODAY = timezone.localdate()

pytestmark = pytest.mark.browser


def test_the_run_page_names_what_waits_and_why(live_server, bakkerij_nmbrs, yuki, page):
    from django.core.cache import cache

    cache.clear()  # the login throttle counts per user and address
    run = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.MANUAL,
                          plan={DocumentKind.WAGE_TAX_RETURN: (Period.month(TODAY.year, TODAY.month),)})
    tasks.enqueue(run)  # eager Celery, against the sandboxes
    make_user("alice", PortalRole.ADMINISTRATOR)
    connections.close_all()
    try:
        page.goto(f"{live_server.url}/runs/{run.pk}/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").click()
        pass_second_step(page, "alice")
        page.wait_for_url(f"{live_server.url}/runs/{run.pk}/")
        waiting = page.get_by_test_id("run-waiting")
        assert waiting.locator("h2").inner_text() == "1 document wacht bij de salarisbron"
        assert waiting.locator("li").all_inner_texts() == [
            "1 loonaangifte wacht: status 'Aangemaakt' is nog niet definitief"]
        assert "1 wacht bij de salarisbron" in page.get_by_test_id("run-result").inner_text()
        row = page.locator("tr", has_text="Loonaangifte")
        assert "Wacht bij de salarisbron" in row.inner_text()
    finally:
        connections.close_all()
