"""Manual imports from Nmbrs into Yuki: every document booked once, corrections, dry runs."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.imports import runs
from portal.models import EntryState, EventKind, ImportRun, LedgerEntry, RunStatus, RunTrigger
from tests.engine.outcome import booked_in_yuki, fetched_entries

TODAY = timezone.localdate()
THIS_MONTH = Period.month(TODAY.year, TODAY.month)
PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
        DocumentKind.WAGE_TAX_RETURN: (THIS_MONTH,), DocumentKind.SEPA: (THIS_MONTH,)}


def import_now(administration, trigger=RunTrigger.MANUAL, plan=PLAN, dry_run=False) -> ImportRun:
    run = runs.create_run(administration, trigger=trigger, plan=plan, dry_run=dry_run)
    tasks.enqueue(run)  # eager Celery: runs right here, with its pushes
    run.refresh_from_db()
    return run


def test_a_manual_import_books_every_document_once(bakkerij_nmbrs, yuki):
    run = import_now(bakkerij_nmbrs)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entries = fetched_entries(administration=bakkerij_nmbrs)
    assert run.fetched == entries.count() > 0
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
    booked = booked_in_yuki(yuki)
    assert len(booked) == entries.count() == run.booked, "one Yuki document per ledger entry"
    assert len(set(booked)) == len(booked)
    kinds = set(entries.values_list("kind", flat=True))
    assert {"payslip", "journal", "sepa"} <= kinds
    folders = {f.file_name: f.folder for f in yuki.app.state.archive}
    payslip = entries.filter(kind="payslip").first()
    assert any(name.startswith(payslip.file_name.rsplit(".", 1)[0]) and folder == 4 for name, folder in folders.items())
    assert run.yuki_calls == yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id)
    assert f"{run.booked} geboekt" in run.result


def test_a_second_import_books_nothing_again(bakkerij_nmbrs, yuki):
    import_now(bakkerij_nmbrs)
    before = booked_in_yuki(yuki)
    calls_before = yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id)
    run = import_now(bakkerij_nmbrs)
    assert run.status == RunStatus.SUCCEEDED
    assert run.booked == 0 and run.unchanged == run.fetched > 0
    assert booked_in_yuki(yuki) == before
    assert yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id) == calls_before, "no Yuki call at all"


def test_a_correction_at_the_source_is_booked_as_a_new_version(bakkerij_nmbrs, yuki, nmbrs):
    import_now(bakkerij_nmbrs)
    journal = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="journal")
    from sandbox.nmbrs.payroll import _run_id

    nmbrs.app.state.correct_run(50001, _run_id(50001, TODAY.year, TODAY.month))
    journals_before = len(yuki.app.state.journals)
    run = import_now(bakkerij_nmbrs)
    journal.refresh_from_db()
    assert journal.version == 2 and journal.state == EntryState.BOOKED
    assert journal.events.filter(kind=EventKind.CORRECTION).exists(), "flagged in its history"
    assert len(yuki.app.state.journals) == journals_before + 1
    correction = yuki.app.state.journals[-1]
    assert "v2" in correction.subject
    assert any("Tegenboeking v1" in e.description for e in correction.entries), "the old lines are reversed"
    assert run.booked >= 1


def test_a_dry_run_shows_what_would_be_booked_and_books_nothing(bakkerij_nmbrs, yuki):
    run = import_now(bakkerij_nmbrs, dry_run=True)
    assert run.status == RunStatus.SUCCEEDED
    assert booked_in_yuki(yuki) == []
    assert not LedgerEntry.objects.exists()
    targets = {item["target"] for item in run.dry_run_preview}
    assert {"journal", "personnel"} <= targets
    journal = next(item for item in run.dry_run_preview if item["target"] == "journal")
    assert journal["lines"] and sum(Decimal(line["amount"]) for line in journal["lines"]) == 0


def test_a_backfill_of_an_earlier_month(bakkerij_nmbrs, yuki):
    first = date(TODAY.year, TODAY.month, 1)
    earlier = Period.month(first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1)
    run = import_now(bakkerij_nmbrs, trigger=RunTrigger.BACKFILL, plan={DocumentKind.PAYSLIP: (earlier,)})
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert set(LedgerEntry.objects.values_list("period", flat=True)) == {earlier.key}
