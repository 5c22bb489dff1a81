"""Imports from Loket (OAuth tokens, REST) into Yuki through the engine, against the sandboxes."""

from datetime import timedelta

from django.utils import timezone

from connectors.documents import DocumentKind, Period
from connectors.loket.errors import RIGHT_PAYROLL_OUTPUT
from portal import tasks
from portal.imports import runs
from portal.models import (
    EntryState,
    EventKind,
    LedgerEntry,
    RunStatus,
    RunTrigger,
)
from tests.engine.outcome import booked_in_yuki, fetched_entries

TODAY = timezone.localdate()
THIS_MONTH = Period.month(TODAY.year, TODAY.month)
_LAST = TODAY.replace(day=1) - timedelta(days=1)
LAST_MONTH = Period.month(_LAST.year, _LAST.month)
# As the schedule does (docs/vendors/loket.md): payslips and journals of this month, returns of last and this month.
PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
        DocumentKind.WAGE_TAX_RETURN: (LAST_MONTH, THIS_MONTH)}


def import_now(administration):
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=PLAN)
    tasks.enqueue(run)
    run.refresh_from_db()
    return run


def test_payslips_per_employee_journal_and_wage_tax_return_are_booked_once(korenschoof, yuki):
    run = import_now(korenschoof)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entries = fetched_entries(administration=korenschoof)
    kinds = list(entries.values_list("kind", flat=True))
    assert kinds.count("payslip") >= 2 and kinds.count("journal") == 1 and "wage_tax_return" in kinds
    journal = yuki.app.state.journals[0]
    assert sum(e.amount for e in journal.entries) == 0, "balanced"
    assert {f.folder for f in yuki.app.state.archive} == {4, 5}, "payslips in personnel, returns in tax"
    again = import_now(korenschoof)
    assert again.booked == 0 and again.unchanged == again.fetched
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == entries.count()


def test_a_missing_loket_right_is_named_in_dutch_and_the_other_documents_are_booked(korenschoof, yuki, loket):
    loket.app.state.revoke_right(RIGHT_PAYROLL_OUTPUT)  # payslips
    run = import_now(korenschoof)
    assert run.status == RunStatus.PARTLY_FAILED
    assert RIGHT_PAYROLL_OUTPUT in run.result and "mist het recht" in run.result
    assert set(LedgerEntry.objects.values_list("kind", flat=True)) == {"journal", "wage_tax_return"}
    assert not [f for f in yuki.app.state.archive if f.folder == 4], "no payslips"


def test_loket_rate_limiting_is_waited_out(korenschoof, yuki, loket):
    loket.app.faults.add("http_error", vendor="loket", status=429, headers={"Retry-After": "0"}, times=2)
    run = import_now(korenschoof)
    assert run.status == RunStatus.SUCCEEDED, run.result


def test_a_corrected_payslip_is_booked_as_version_2(korenschoof, yuki, loket):
    import_now(korenschoof)
    payslip = LedgerEntry.objects.filter(administration=korenschoof, kind="payslip").order_by("source_id").first()
    employment_id = payslip.source_id.split(":")[2]
    loket.app.state.correct_payslip(employment_id, TODAY.year, TODAY.month)
    run = import_now(korenschoof)
    payslip.refresh_from_db()
    assert (payslip.version, payslip.state, run.booked) == (2, EntryState.BOOKED, 1)
    assert payslip.events.filter(kind=EventKind.CORRECTION).exists()
    assert any("v2]" in f.file_name for f in yuki.app.state.archive), "the new version has its own name"
