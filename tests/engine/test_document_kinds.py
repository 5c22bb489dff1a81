"""A document kind is registered in one place (connectors/kinds.py): a kind registered here, and nowhere
else, is planned by the scheduler for its window, fetched, fingerprinted, booked in its Yuki folder with its
reference code, waits at the source in its own words, and is named on the run's page and in its result."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from connectors import kinds
from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument, WaitReason
from connectors.texts import gettext_lazy, ngettext_lazy
from portal import tasks
from portal.imports import summaries
from portal.models import EntryState, ImportRun, LedgerEntry, PortalRole, RunStatus
from portal.scheduling import due_imports
from portal.sources import registry
from portal.sources.base import Fetched
from tests.engine.outcome import booked_in_yuki
from tests.engine.test_third_source import paperclip  # noqa: F401 - the third source's administration
from tests.engine.third_source import vendor
from tests.engine.third_source.source import PaperclipPayrollSource, Session
from tests.people import make_user
from yuki_client import ArchiveFolder

TIMESHEET = kinds.Kind(
    "timesheet", gettext_lazy("Timesheet"),
    ngettext_lazy("%(n)s timesheet waits", "%(n)s timesheets wait", "n"),
    ngettext_lazy("%(n)s timesheet still needs to be checked", "%(n)s timesheets still need to be checked", "n"),
    "ts", kinds.Target.ARCHIVE, ArchiveFolder.OTHER_FINANCIAL, window=kinds.Window.PREVIOUS_AND_CURRENT)


def timesheet(employer: str, period: Period, n: int) -> SourceDocument:
    return SourceDocument(source=vendor.SOURCE, kind="timesheet", source_id=f"{employer}:{period.key}:uren:{n}",
                          period=period, title=f"Urenstaat {n} {period.key}", file_name=f"uren-{n}-{period.key}.pdf",
                          content=b"%PDF-1.4\n% uren " + str(n).encode() + b"\n%%EOF\n")


class TimesheetSession(Session):
    """The payroll office's desk, which now also hands out timesheets: one per period, a second one waiting."""

    def fetch(self, period, kinds_wanted):
        fetched = super().fetch(period, [kind for kind in kinds_wanted if kind != "timesheet"])
        if "timesheet" not in kinds_wanted:
            return fetched
        waiting = WaitingDocument(source=vendor.SOURCE, kind="timesheet", source_id=f"{self.employer}:{period.key}:uren:2",
                                  period=period, title=f"Urenstaat 2 {period.key}", reason=WaitReason.NOT_FINAL,
                                  status="Concept")
        return Fetched(documents=[*fetched, timesheet(self.employer, period, 1)], waiting=[waiting])


class TimesheetSource(PaperclipPayrollSource):
    document_kinds = (DocumentKind.PAYSLIP, "timesheet")

    def open(self, effective, plan):
        session = super().open(effective, plan)
        return TimesheetSession(session.employer)


@pytest.fixture
def timesheets(paperclip):  # noqa: F811 - the fixture above
    kinds.register(TIMESHEET)
    registry.unregister("paperclip")  # the same source, whose office now hands out timesheets too
    registry.register("paperclip", f"{__name__}.TimesheetSource")
    yield paperclip
    kinds.unregister("timesheet")


def test_an_unregistered_kind_is_refused_where_documents_are_made():
    assert not kinds.is_registered("timesheet")
    with pytest.raises(ValueError, match="no registered document kind"):
        timesheet("PC-7", Period.month(2026, 11), 1)
    with pytest.raises(ValueError, match="built-in"):
        kinds.unregister(DocumentKind.PAYSLIP)


def test_a_kind_registered_once_is_planned_booked_and_named(timesheets, yuki, client):
    noon = datetime(2026, 11, 30, 12, 5, tzinfo=UTC)
    (due,) = [item for item in due_imports(noon) if item.administration.pk == timesheets.pk]
    assert due.plan == {DocumentKind.PAYSLIP: (Period.month(2026, 11),),
                        "timesheet": (Period.month(2026, 10), Period.month(2026, 11))}, \
        "its window (previous and current month), with no import setting of its own: always when offered"

    with time_machine.travel(noon):
        assert tasks.enqueue_due_imports() == 1
    run = ImportRun.objects.get(administration=timesheets)
    assert run.status == RunStatus.SUCCEEDED, run.result
    sheets = LedgerEntry.objects.filter(administration=timesheets, kind="timesheet")
    assert sorted(sheets.filter(state=EntryState.BOOKED).values_list("period", flat=True)) == ["2026-10", "2026-11"]
    assert sheets.filter(state=EntryState.WAITING_AT_SOURCE).count() == 2
    booked = [f for f in yuki.app.state.archive if f.file_name.startswith("uren-")]
    assert len(booked) == 2 and {f.folder for f in booked} == {int(ArchiveFolder.OTHER_FINANCIAL)}
    assert all("[ts-" in f.file_name for f in booked), "its reference code"
    assert len(booked_in_yuki(yuki)) == 2 + 2, "and the two payslips"
    entry = sheets.filter(state=EntryState.BOOKED).first()
    assert entry.fingerprint["scheme"] == "bytes", "no fingerprint of meaning registered: its bytes"

    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = client.get(reverse("portal:run", args=[run.pk])).content.decode()
    assert "Timesheet" in page, "the documents list names its kind"
    assert "2 timesheets wait: status &#x27;Concept&#x27;" in page, page.split("<main", 1)[1][:3000]
    assert "Timesheet" in client.get(reverse("portal:document", args=[entry.pk])).content.decode()

    entry.state, entry.check_by_person = EntryState.NEEDS_CHECK, True
    entry.save()
    assert "1 timesheet still needs to be checked" in summaries.summary(run)


def test_a_plan_stored_with_a_kind_no_longer_registered_skips_it(timesheets):
    from portal.imports.runs import plan_from_json

    stored = {"payslip": [[2026, 11]], "timesheet": [[2026, 11]]}
    assert set(plan_from_json(stored)) == {"payslip", "timesheet"}
    kinds.unregister("timesheet")
    assert plan_from_json(stored) == {DocumentKind.PAYSLIP: (Period.month(2026, 11),)}
    assert plan_from_json(stored).popitem()[0] is DocumentKind.PAYSLIP, "sources may compare kinds with `is`"
    assert kinds.label_of("timesheet") == "timesheet", "an old entry of it is still named"
    kinds.register(TIMESHEET)  # the fixture unregisters it
