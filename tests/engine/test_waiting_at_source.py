"""Nothing skipped in silence: what the source shows but we do not book waits in the ledger, is counted,
shown, named once when its status is unknown, and booked once (the same row) when it becomes final.

Nmbrs and Loket sandboxes over real HTTP; the Yuki sandbox is the judge of what was booked.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.imports import runs
from portal.languages import choose_language
from portal.models import EntryState, EventKind, LedgerEntry, Notice, PortalRole, RunStatus, RunTrigger
from sandbox.loket import data as loket_data
from tests.engine.outcome import booked_in_yuki
from tests.people import make_user

TODAY = timezone.localdate()
THIS_MONTH = Period.month(TODAY.year, TODAY.month)
_LAST = TODAY.replace(day=1) - timedelta(days=1)
LAST_MONTH = Period.month(_LAST.year, _LAST.month)
KORENSCHOOF_ID = next(a.id for a in loket_data.ADMINISTRATIONS if a.key == "korenschoof")
WAGE_TAX = {DocumentKind.WAGE_TAX_RETURN: (THIS_MONTH,)}


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def import_now(administration, plan, dry_run=False):
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan, dry_run=dry_run)
    tasks.enqueue(run)
    run.refresh_from_db()
    return run


def waiting_entries(administration):
    return LedgerEntry.objects.filter(administration=administration, state=EntryState.WAITING_AT_SOURCE)


# --- Nmbrs: the wage tax return of the current month is still "Aangemaakt" in the sandbox -------------

def test_an_nmbrs_return_not_final_yet_waits_in_the_ledger_and_is_booked_once_when_locked(bakkerij_nmbrs, yuki,
                                                                                           nmbrs):
    run = import_now(bakkerij_nmbrs, WAGE_TAX)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entry = waiting_entries(bakkerij_nmbrs).get()
    assert (entry.kind, entry.wait_reason, entry.source_status) == ("wage_tax_return", "not_final", "Aangemaakt")
    assert entry.events.filter(kind=EventKind.WAITING_AT_SOURCE, run=run).exists()
    assert run.waiting_at_source == 1
    assert run.source_waiting == [{"kind": "wage_tax_return", "reason": "not_final", "status": "Aangemaakt", "n": 1}]
    assert "1 wacht bij de salarisbron" in run.result
    assert booked_in_yuki(yuki) == []
    assert not Notice.objects.exists(), "a status the portal knows is no news"

    again = import_now(bakkerij_nmbrs, WAGE_TAX)
    assert waiting_entries(bakkerij_nmbrs).get().pk == entry.pk and again.waiting_at_source == 1

    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Vergrendeld")
    final = import_now(bakkerij_nmbrs, WAGE_TAX)
    assert final.status == RunStatus.SUCCEEDED, final.result
    entry.refresh_from_db()
    assert entry.state == EntryState.BOOKED and (entry.wait_reason, entry.source_status) == ("", "")
    assert LedgerEntry.objects.filter(administration=bakkerij_nmbrs).count() == 1, "the same row, not a second"
    assert final.booked == 1 and final.waiting_at_source == 0 and final.source_waiting == []
    assert len(booked_in_yuki(yuki)) == 1

    import_now(bakkerij_nmbrs, WAGE_TAX)
    assert len(booked_in_yuki(yuki)) == 1, "nothing twice"


def test_an_unknown_nmbrs_status_waits_and_is_reported_once_by_name(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Klaar voor verzending")
    first = import_now(bakkerij_nmbrs, WAGE_TAX)
    entry = waiting_entries(bakkerij_nmbrs).get()
    assert (entry.wait_reason, entry.source_status) == ("unknown_status", "Klaar voor verzending")
    notice = Notice.objects.get()
    assert "Klaar voor verzending" in notice.title and notice.run_id == first.pk
    assert "loonaangifte wacht: status 'Klaar voor verzending' kent het portaal niet" in notice.message

    import_now(bakkerij_nmbrs, WAGE_TAX)
    notice.refresh_from_db()
    assert Notice.objects.count() == 1 and notice.repeats == 1, "once, not per import"


def test_a_return_the_settings_do_not_select_waits_as_filtered(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Verzonden")  # past 'locked'
    run = import_now(bakkerij_nmbrs, WAGE_TAX)
    entry = waiting_entries(bakkerij_nmbrs).get()
    assert (entry.wait_reason, entry.source_status) == ("filtered", "Verzonden")
    assert run.source_waiting[0]["reason"] == "filtered"


def test_a_dry_run_counts_what_waits_and_records_nothing(bakkerij_nmbrs, yuki):
    run = import_now(bakkerij_nmbrs, WAGE_TAX, dry_run=True)
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert run.waiting_at_source == 1 and "1 wacht bij de salarisbron" in run.result
    assert not LedgerEntry.objects.exists()


def test_the_run_page_shows_what_waits_in_dutch_and_in_english(bakkerij_nmbrs, yuki, client):
    run = import_now(bakkerij_nmbrs, WAGE_TAX)
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    client.force_login(alice)
    page = client.get(reverse("portal:run", args=[run.pk])).content.decode()  # Dutch, the default
    assert "1 loonaangifte wacht: status &#x27;Aangemaakt&#x27; is nog niet definitief" in page
    assert "1 document wacht bij de salarisbron" in page
    choose_language(alice, "en")  # the person's own choice on the profile page
    english = client.get(reverse("portal:run", args=[run.pk])).content.decode()
    assert "1 wage tax return waits: status &#x27;Aangemaakt&#x27; is not final yet" in english


# --- Loket: this month's return is "Goedgekeurd" (key 2) in the sandbox -------------------------------

def test_a_loket_return_not_accepted_yet_waits_and_is_booked_once_when_accepted(korenschoof, yuki, loket):
    run = import_now(korenschoof, WAGE_TAX)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entry = waiting_entries(korenschoof).get()
    assert (entry.kind, entry.wait_reason, entry.source_status) == ("wage_tax_return", "not_final", "Goedgekeurd")
    assert entry.source_id.endswith(":report")
    assert booked_in_yuki(yuki) == []

    loket.app.state.set_tax_return_status(KORENSCHOOF_ID, TODAY.year, TODAY.month, 4, "Geaccepteerd")
    final = import_now(korenschoof, WAGE_TAX)
    assert final.status == RunStatus.SUCCEEDED, final.result
    entry.refresh_from_db()
    assert entry.state == EntryState.BOOKED
    entries = LedgerEntry.objects.filter(administration=korenschoof)
    assert entries.filter(source_id=entry.source_id).count() == 1
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
    booked = booked_in_yuki(yuki)
    assert len(booked) == entries.count() == final.booked
    import_now(korenschoof, WAGE_TAX)
    assert booked_in_yuki(yuki) == booked, "nothing twice"


def test_an_unknown_loket_status_and_an_unfinished_journal_run_wait(korenschoof, yuki, loket):
    loket.app.state.set_tax_return_status(KORENSCHOOF_ID, TODAY.year, TODAY.month, 9, "Ingetrokken")
    loket.app.state.set_journal_run_status(KORENSCHOOF_ID, TODAY.year, TODAY.month, 1)
    run = import_now(korenschoof, {**WAGE_TAX, DocumentKind.JOURNAL: (THIS_MONTH,)})
    waiting = {(e.kind, e.wait_reason, e.source_status) for e in waiting_entries(korenschoof)}
    assert waiting == {("wage_tax_return", "unknown_status", "Ingetrokken"),
                       ("journal", "not_final", "In behandeling")}
    assert run.waiting_at_source == 2
    assert [n.title for n in Notice.objects.all()] == ["Loket toont een onbekende status: 'Ingetrokken'"]
