"""A run that finds a document still held for a person says so on its run page (Chromium, real worker):
the holding's journal entry waits for a person's check since an earlier night, tonight's import books
nothing new, and the run page reads "1 journaalpost moet nog worden gecontroleerd", also after a reload."""

from __future__ import annotations

from portal.models import Administration, EntryState, LedgerEntry, PortalRole
from sandbox.demo import seed_demo_data
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.people import make_user


def import_and_wait(journey, administration) -> None:
    page = journey.page
    journey.goto(f"/administrations/{administration.pk}/")
    page.get_by_test_id("import-now").click()
    page.wait_for_url("**/runs/*/")
    wait_for_text(page, "run-status", "^(Afgerond|Deels mislukt|Mislukt)$", timeout=90_000)


def test_the_run_page_names_a_document_still_held_for_a_person(journey, vendors, worker):
    seed_demo_data()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)

    import_and_wait(journey, holding)
    assert "gecontroleerd" not in page.get_by_test_id("run-result").inner_text()
    # An earlier night's crash left the journal entry uncertain, and the machine could not settle it.
    assert LedgerEntry.objects.filter(administration=holding, kind="journal").update(
        state=EntryState.NEEDS_CHECK, check_by_person=True) == 1

    import_and_wait(journey, holding)
    result = page.get_by_test_id("run-result")
    assert "1 journaalpost moet nog worden gecontroleerd" in result.inner_text(), result.inner_text()
    assert page.get_by_test_id("run-booked").inner_text() == "0"
    page.reload()
    assert "1 journaalpost moet nog worden gecontroleerd" in page.get_by_test_id("run-result").inner_text()
