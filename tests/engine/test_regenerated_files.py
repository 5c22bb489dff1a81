"""Vendors generate every file anew on request (docs/vendors/generated-files.md); so do the sandboxes.

Two imports of an unchanged month fetch different bytes of every file and book nothing again; a real
correction books exactly one new version, and says what changed.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from connectors import kinds
from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.imports import runs
from portal.models import EntryState, EventKind, LedgerEntry, RunStatus, RunTrigger
from sandbox.nmbrs.payroll import _run_id
from tests.engine.outcome import booked_in_yuki, fetched_entries

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=AMS)  # any day would do; this one is fixed
THIS_MONTH, LAST_MONTH = Period.month(2026, 11), Period.month(2026, 10)
NMBRS_PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
              DocumentKind.SEPA: (THIS_MONTH,), DocumentKind.WAGE_TAX_RETURN: (LAST_MONTH,)}
LOKET_PLAN = {DocumentKind.PAYSLIP: (THIS_MONTH,), DocumentKind.JOURNAL: (THIS_MONTH,),
              DocumentKind.WAGE_TAX_RETURN: (LAST_MONTH,)}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def fetched_bytes(monkeypatch):
    """Every file the import fingerprints, as (kind, sha256 of its bytes), in order."""
    seen: list[tuple[str, str]] = []
    file_fingerprint = kinds.file_fingerprint

    def spy(kind, content):
        seen.append((str(kind), hashlib.sha256(content).hexdigest()))
        return file_fingerprint(kind, content)

    monkeypatch.setattr(kinds, "file_fingerprint", spy)
    return seen


def import_now(administration, plan):
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan)
    tasks.enqueue(run)  # eager Celery: runs right here, with its pushes
    run.refresh_from_db()
    return run


def _versions(administration) -> dict[str, int]:
    return dict(fetched_entries(administration=administration).values_list("source_id", "version"))


def _import_twice_unchanged(administration, plan, yuki, fetched_bytes, clock):
    first = import_now(administration, plan)
    assert first.status == RunStatus.SUCCEEDED, first.result
    booked, files_first = booked_in_yuki(yuki), list(fetched_bytes)
    fetched_bytes.clear()
    clock.shift(timedelta(hours=1))  # the next hourly import: every file generated anew
    second = import_now(administration, plan)
    assert second.status == RunStatus.SUCCEEDED, second.result
    assert len(fetched_bytes) == len(files_first) > 0
    assert not set(fetched_bytes) & set(files_first), "the sandbox generated every file anew: new bytes"
    assert second.booked == 0 and second.unchanged == second.fetched, second.result
    assert booked_in_yuki(yuki) == booked, "nothing booked a second time"
    assert set(_versions(administration).values()) == {1}
    return first


def test_two_nmbrs_imports_of_an_unchanged_month_book_each_document_once(bakkerij_nmbrs, yuki, fetched_bytes,
                                                                         clock):
    first = _import_twice_unchanged(bakkerij_nmbrs, NMBRS_PLAN, yuki, fetched_bytes, clock)
    kinds = set(fetched_entries(administration=bakkerij_nmbrs).values_list("kind", flat=True))
    assert kinds == {"payslip", "journal", "sepa", "wage_tax_return"} and first.booked == 4


def test_two_loket_imports_of_an_unchanged_month_book_each_document_once(korenschoof, yuki, fetched_bytes,
                                                                        clock):
    _import_twice_unchanged(korenschoof, LOKET_PLAN, yuki, fetched_bytes, clock)
    parts = set(fetched_entries(administration=korenschoof, kind="wage_tax_return").values_list("file_name", flat=True))
    assert {name.rsplit(".", 1)[1] for name in parts} == {"pdf", "xml"}, "the report and the message"


def test_a_real_correction_books_one_new_version_and_says_what_changed(bakkerij_nmbrs, yuki, nmbrs, clock):
    import_now(bakkerij_nmbrs, NMBRS_PLAN)
    before = booked_in_yuki(yuki)
    # Nmbrs corrects October's and November's runs: employee 1 earns 50.00 more gross.
    for year, month in ((2026, 10), (2026, 11)):
        nmbrs.app.state.correct_run(50001, _run_id(50001, year, month), employee_number=1,
                                    extra_gross=Decimal("50.00"))
    clock.shift(timedelta(hours=1))
    run = import_now(bakkerij_nmbrs, NMBRS_PLAN)
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert set(_versions(bakkerij_nmbrs).values()) == {2}, "every document of a corrected run: one new version"
    assert len(booked_in_yuki(yuki)) == len(before) + 4

    payslip = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="payslip")
    gross = next(c for c in payslip.changes if c["item"] == "Brutoloon:")
    assert Decimal(gross["after"].removeprefix("EUR ")) - Decimal(gross["before"].removeprefix("EUR ")) == 50
    sepa = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="sepa")
    [paid] = [c for c in sepa.changes if c["field"] == "amount"]
    assert Decimal(paid["after"]) - Decimal(paid["before"]) == Decimal("35.00"), "net: 50.00 less 30% wage tax"
    wage_tax = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="wage_tax_return")
    assert {c["field"] for c in wage_tax.changes} >= {"TijdvakAangifte/CollectieveAangifte/TotTeBet"}
    history = " ".join(payslip.events.filter(kind=EventKind.CORRECTION).values_list("message", flat=True))
    dutch = {side: format(Decimal(gross[side].removeprefix("EUR ")), ",.2f").translate(str.maketrans(",.", ".,"))
             for side in ("before", "after")}
    assert f"Brutoloon: EUR {dutch['before']} → EUR {dutch['after']}" in history, "amounts as a Dutch reader writes them"

    clock.shift(timedelta(hours=1))
    again = import_now(bakkerij_nmbrs, NMBRS_PLAN)
    assert again.booked == 0 and set(_versions(bakkerij_nmbrs).values()) == {2}, "the correction booked once"
    assert all(e.state == EntryState.BOOKED for e in fetched_entries(administration=bakkerij_nmbrs))


def test_the_run_date_does_not_depend_on_the_day_of_the_month(nmbrs):
    company = nmbrs.app.state.company(50001)
    dates = set()
    for day in (1, 7, 19, 20, 30):
        with time_machine.travel(datetime(2026, 11, day, 12, 0, tzinfo=AMS), tick=False):
            dates.add(nmbrs.app.state.runs(company, 2026)[-1].run_at)
    assert len(dates) == 1 and next(iter(dates)).date() <= date(2026, 11, 1)
