"""The calendar sweep: the scheduled import end to end against the sandboxes, at the moments payroll cares about.

The beat's one entry (portal.tasks.enqueue_due_imports) is called as the beat calls it, every few minutes,
with the clock moved by time-machine; Celery runs eagerly, so each run it creates fetches from the Loket or
Nmbrs sandbox (whose "today" is the same moved clock) and books into the Yuki sandbox. At each moment:
exactly one run per slot, the month window's periods (payslips, journals and SEPA of the current month, wage
tax returns of the previous and the current month), and nothing booked twice by a later run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from connectors.documents import Period
from portal.models import (
    EntryState,
    EventKind,
    ImportRun,
    LedgerEntry,
    LedgerEvent,
    PortalSettings,
    RunStatus,
    RunTrigger,
)
from portal.tasks import enqueue_due_imports
from tests.engine.outcome import fetched_entries

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")

# The 1st, 7th, 19th, 20th and last day of a month; 28 and 29 February of a leap year; New Year's Day.
DAYS = [date(2026, 11, 1), date(2026, 11, 7), date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 30),
        date(2028, 2, 28), date(2028, 2, 29), date(2027, 1, 1)]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def months(day: date) -> tuple[Period, Period]:
    """The current and the previous month of `day`: the plan's window."""
    previous = day.replace(day=1) - timedelta(days=1)
    return Period.month(day.year, day.month), Period.month(previous.year, previous.month)


@pytest.fixture
def clock(request):
    """The moved clock, started before the portal and the sandboxes are made (at the test's first moment)."""
    with time_machine.travel(request.param, tick=True) as traveller:
        yield traveller


def beat(clock, moment: datetime) -> None:
    clock.move_to(moment)
    enqueue_due_imports()


def scheduled(administration, prefix: str) -> list[ImportRun]:
    return list(ImportRun.objects.filter(administration=administration, trigger=RunTrigger.SCHEDULED,
                                         slot__startswith=prefix).order_by("pk"))


def booked_periods(administration, kind: str) -> set[str]:
    return set(fetched_entries(administration=administration, kind=kind, state=EntryState.BOOKED)
               .values_list("period", flat=True))


def assert_booked_once(administration) -> None:
    entries = fetched_entries(administration=administration)
    assert entries.exists() and set(entries.values_list("version", flat=True)) == {1}, "nothing booked twice"


def booked_by(run: ImportRun) -> set[tuple[str, str]]:
    """(kind, period) of what this run booked."""
    return set(LedgerEvent.objects.filter(run=run, kind=EventKind.BOOKED).values_list("entry__kind", "entry__period"))


def check_loket_night(administration, day: date, *, books_the_month: bool = True) -> ImportRun:
    """The night's one run: its plan is the month window of `day`, and this month's payslips and journal and
    last month's wage tax return are booked (this month's return is not accepted yet: it waits at the
    source). By this run, if it is the month's first; otherwise an earlier night's run booked them and this
    one found them unchanged."""
    [run] = [r for r in scheduled(administration, "loket:") if r.slot == f"loket:{day.isoformat()}"]
    assert run.status == RunStatus.SUCCEEDED, run.result
    current, previous = months(day)
    assert run.periods == sorted([previous.key, current.key])
    booked = booked_by(run)
    assert {period for _kind, period in booked} <= {previous.key, current.key}
    if books_the_month:
        assert {("payslip", current.key), ("journal", current.key)} <= booked, booked
    else:
        assert not booked and run.unchanged == run.fetched > 0, run.result
    assert {"payslip", "journal"} <= {e.kind for e in fetched_entries(
        administration=administration, period=current.key, state=EntryState.BOOKED)}
    wage_tax = {e.period for e in LedgerEntry.objects.filter(administration=administration, kind="wage_tax_return")}
    assert previous.key in wage_tax, wage_tax
    return run


# --- Loket: nightly at 02:30 -------------------------------------------------------------------------------

@pytest.mark.parametrize("clock", [local(d - timedelta(days=1), 12) for d in DAYS], indirect=True,
                         ids=[d.isoformat() for d in DAYS])
def test_the_nightly_loket_import_runs_once_with_the_months_window(clock, korenschoof, yuki):
    day = datetime.now(AMS).date() + timedelta(days=1)
    # (From 02:30 the night's slot is the latest: the previous night's catch-up is not due any more.)
    for hour, minute in ((2, 35), (2, 50), (3, 30), (12, 0), (23, 59)):
        beat(clock, local(day, hour, minute))
    runs = [r for r in scheduled(korenschoof, "loket:") if r.slot == f"loket:{day.isoformat()}"]
    assert len(runs) == 1, "one run for the night, however often the beat ticks"
    check_loket_night(korenschoof, day)
    assert_booked_once(korenschoof)


@pytest.mark.parametrize("clock", [local(date(2026, 12, 31), 2, 35)], indirect=True)
def test_new_years_eve_to_new_years_day(clock, korenschoof, yuki):
    beat(clock, local(date(2026, 12, 31), 2, 35))
    check_loket_night(korenschoof, date(2026, 12, 31))
    for moment in (local(date(2026, 12, 31), 23, 59), local(date(2027, 1, 1), 0, 1), local(date(2027, 1, 1), 2, 29)):
        beat(clock, moment)
    assert [r.slot for r in scheduled(korenschoof, "loket:")] == ["loket:2026-12-31"], "not before 02:30"
    beat(clock, local(date(2027, 1, 1), 2, 31))
    assert [r.slot for r in scheduled(korenschoof, "loket:")] == ["loket:2026-12-31", "loket:2027-01-01"]
    run = scheduled(korenschoof, "loket:")[-1]
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert "2027-01" in booked_periods(korenschoof, "payslip")
    assert "2026-12" in booked_periods(korenschoof, "wage_tax_return"), "December's return, in the new year"
    assert_booked_once(korenschoof)


def _ticks(first_utc: datetime, last_utc: datetime, minutes: int = 5):
    moment = first_utc
    while moment <= last_utc:
        yield moment
        moment += timedelta(minutes=minutes)


@pytest.mark.parametrize("clock", [local(date(2026, 3, 28), 2, 35)], indirect=True)
def test_the_spring_forward_night_runs_once_after_the_missing_0230(clock, korenschoof, yuki):
    beat(clock, local(date(2026, 3, 28), 2, 35))  # the night before: its own slot
    # 00:00-06:00 local on 29 March 2026: 02:00-03:00 does not exist (CET -> CEST at 01:00 UTC).
    for moment in _ticks(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), datetime(2026, 3, 29, 4, 0, tzinfo=UTC)):
        beat(clock, moment)
    [run] = [r for r in scheduled(korenschoof, "loket:") if r.slot == "loket:2026-03-29"]
    assert run.created_at.astimezone(AMS).time() >= time(3, 30), "after the gap, at the first tick past 03:30 CEST"
    check_loket_night(korenschoof, date(2026, 3, 29), books_the_month=False)
    assert_booked_once(korenschoof)


@pytest.mark.parametrize("clock", [local(date(2026, 10, 24), 2, 35)], indirect=True)
def test_the_fall_back_night_runs_once_though_0230_happens_twice(clock, korenschoof, yuki):
    beat(clock, local(date(2026, 10, 24), 2, 35))
    # 00:00-06:00 local on 25 October 2026: 02:00-03:00 happens twice (CEST -> CET at 01:00 UTC).
    for moment in _ticks(datetime(2026, 10, 24, 22, 0, tzinfo=UTC), datetime(2026, 10, 25, 5, 0, tzinfo=UTC)):
        beat(clock, moment)
    [run] = [r for r in scheduled(korenschoof, "loket:") if r.slot == "loket:2026-10-25"]
    assert run.created_at.astimezone(UTC) < datetime(2026, 10, 25, 1, 0, tzinfo=UTC), "the first 02:30 (CEST)"
    check_loket_night(korenschoof, date(2026, 10, 25), books_the_month=False)
    assert_booked_once(korenschoof)


@pytest.mark.parametrize("clock", [local(date(2028, 2, 18), 12)], indirect=True)
def test_the_month_window_from_the_20th_to_the_31st_ends_on_29_february(clock, korenschoof, yuki):
    settings = PortalSettings.load().import_settings
    settings.first_day, settings.last_day = 20, 31
    settings.save()
    for day in (date(2028, 2, 19), date(2028, 2, 20), date(2028, 2, 29), date(2028, 3, 1), date(2028, 3, 19),
                date(2028, 3, 20)):
        beat(clock, local(day, 2, 40))
    assert [r.slot for r in scheduled(korenschoof, "loket:")] == [
        "loket:2028-02-20", "loket:2028-02-29", "loket:2028-03-20"]
    assert booked_periods(korenschoof, "payslip") == {"2028-02", "2028-03"}
    assert "2028-02" in booked_periods(korenschoof, "wage_tax_return")
    assert_booked_once(korenschoof)


# --- Nmbrs: hourly from 07:00 to 20:00 -----------------------------------------------------------------------

@pytest.mark.parametrize("clock", [local(d, 6, 0) for d in DAYS], indirect=True, ids=[d.isoformat() for d in DAYS])
def test_the_hourly_nmbrs_import_books_the_month_once(clock, bakkerij_nmbrs, yuki):
    day = datetime.now(AMS).date()
    for hour, minute in ((6, 59), (7, 5), (7, 35), (8, 5), (20, 55), (21, 5), (23, 59)):
        beat(clock, local(day, hour, minute))
    runs = scheduled(bakkerij_nmbrs, "nmbrs:")
    assert [r.slot for r in runs] == [f"nmbrs:{day.isoformat()}T07", f"nmbrs:{day.isoformat()}T08",
                                      f"nmbrs:{day.isoformat()}T20"], "one run an hour, from 07:00 to 20:00"
    assert all(r.status == RunStatus.SUCCEEDED for r in runs), [r.result for r in runs]
    current, previous = months(day)
    assert runs[0].booked > 0 and all(r.booked == 0 for r in runs[1:]), "later hours find every file unchanged"
    for kind in ("payslip", "journal", "sepa"):
        assert booked_periods(bakkerij_nmbrs, kind) == {current.key}, kind
    assert booked_periods(bakkerij_nmbrs, "wage_tax_return") == {previous.key}, "last month's, locked"
    assert_booked_once(bakkerij_nmbrs)
