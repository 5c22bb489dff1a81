"""The deep check button on the administration page, in a real browser, against the Nmbrs sandbox; the check
is then in the audit log (who read the administration's payroll data at the source, and when)."""

import pytest
from django.db import connections
from django.utils import timezone

from portal.models import LedgerEntry, PortalRole
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step

TODAY = timezone.localdate()

pytestmark = pytest.mark.browser


def test_a_portal_administrator_runs_the_deep_check_and_reads_the_report(live_server, bakkerij_nmbrs, nmbrs,
                                                                          page):
    from django.core.cache import cache

    cache.clear()
    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Klaar voor verzending")
    make_user("alice", PortalRole.ADMINISTRATOR)
    connections.close_all()
    try:
        page.goto(f"{live_server.url}/administrations/{bakkerij_nmbrs.pk}/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").click()
        pass_second_step(page, "alice")
        page.wait_for_url(f"{live_server.url}/administrations/{bakkerij_nmbrs.pk}/")
        page.get_by_label("Periode").fill(f"{TODAY.year}-{TODAY.month:02d}")
        page.get_by_test_id("deep-check").click()
        report = page.get_by_test_id("deep-check-report")
        report.wait_for()
        rows = report.locator("tbody tr").all_inner_texts()
        assert any("salarisstroken" in row and "leesbaar" in row for row in rows), rows
        assert any("'Klaar voor verzending' kent het portaal niet" in row for row in rows), rows
        calls = report.locator("tbody tr td:nth-child(2)").all_inner_texts()
        assert "loonaangiften" in calls and not [c for c in calls if "_Get" in c], "calls in words: " + str(calls)
        assert page.get_by_test_id("deep-check-summary").inner_text().endswith("Er is niets geboekt.")
        assert not LedgerEntry.objects.exists()
        levels = report.locator("tbody tr td:first-child").all_inner_texts()
        errors, points = levels.count("fout"), levels.count("nakijken")
        assert points >= 1, levels

        # The audit log names the check: who, what, which administration, the period and what it found.
        page.get_by_role("link", name="Auditlog").click()
        page.wait_for_url(f"{live_server.url}/audit/")
        row = page.locator("tbody tr", has_text="diepe controle uitgevoerd")
        assert row.count() == 1, page.locator("main").inner_text()
        text = " ".join(row.inner_text().split())
        assert "alice" in text and f"administratie: {bakkerij_nmbrs.name}" in text, text
        assert f"Periode: – → {TODAY.year}-{TODAY.month:02d}" in text, text
        assert f"Fouten: – → {errors}" in text, text
        assert f"Punten om na te kijken: – → {points}" in text, text
    finally:
        connections.close_all()
