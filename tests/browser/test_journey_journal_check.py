"""A journal entry whose answer was lost is settled by the machine, and the accountant reads how on the
run and document pages: in Dutch, and in English once chosen on the profile.

A real Celery worker books against the Yuki sandbox over real HTTP; the sandbox's own records judge.
"""

from __future__ import annotations

from datetime import date

from portal.imports import booking
from portal.models import EntryState, LedgerEntry, UserProfile
from tests.browser.steps import wait_for_text
from tests.browser.test_journey_accountant import demo, import_now  # noqa: F401 - the fixture, and a step


def history(page) -> str:
    return page.locator("main").inner_text()


def test_a_journal_lost_on_the_way_is_found_or_booked_again_without_a_person(journey, vendors, demo):  # noqa: F811
    page, yuki = journey.page, vendors["yuki"].app

    # The connection breaks after Yuki booked the journal entry: Yuki's listing shows its reference.
    yuki.faults.add("drop_after", vendor="yuki", operation="ProcessJournal", times=1)
    run = import_now(journey, demo)
    wait_for_text(page, "run-status", "^Afgerond$", timeout=90_000)
    journal = LedgerEntry.objects.get(last_run=run, kind="journal")
    assert journal.state == EntryState.BOOKED and len(yuki.state.journals) == 1, "found, not booked again"
    assert page.get_by_test_id("run-failed").inner_text() == "0"
    journey.goto(f"/documents/{journal.pk}/")
    reference = booking.reference(journal)
    assert "Gecontroleerd in Yuki" in history(page)
    assert f"toont '{reference}'" in history(page) and "het was geboekt" in history(page)
    assert page.get_by_role("button", name="Het staat in Yuki").count() == 0, "nothing for a person"

    # The connection breaks before Yuki got it: not in the listing after the delay, so booked again, once.
    yuki.faults.add("drop_before", vendor="yuki", operation="ProcessJournal", times=1)
    earlier = import_now(journey, demo, month=f"{date.today().year - 1}-03")
    wait_for_text(page, "run-status", "^Afgerond$", timeout=90_000)
    second = LedgerEntry.objects.get(last_run=earlier, kind="journal")
    assert second.state == EntryState.BOOKED
    subjects = [j.subject for j in yuki.state.journals]
    assert subjects.count(booking.journal_subject(second)) == 1 and len(subjects) == 2
    journey.goto(f"/documents/{second.pk}/")
    assert f"toont geen '{booking.reference(second)}'" in history(page) and "opnieuw geboekt" in history(page)

    # English on request: the page speaks English, the stored history stays in the portal's language.
    page.get_by_test_id("profile-link").click()
    page.get_by_label("Taal van het portaal").select_option("en")
    page.get_by_role("button", name="Bewaren").click()
    assert UserProfile.objects.get(user__username="alice").language == "en"
    journey.goto(f"/documents/{second.pk}/")
    assert "Checked in Yuki" in history(page) and "Gecontroleerd in Yuki" not in history(page)
    assert "opnieuw geboekt" in history(page)
