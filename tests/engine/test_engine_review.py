"""Exactly-once under the awkward sequences: overlapping runs, redelivered tasks, the sweeper during a
fetch, corrections during an attempt, answers without an ID, and Yuki or Loket misbehaving."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.imports import runs
from portal.models import (
    EntryState,
    EventKind,
    ImportRun,
    LedgerEntry,
    Notice,
    PortalRole,
    RunStatus,
    RunTrigger,
)
from portal.tasks import enqueue_due_imports, sweep
from sandbox.nmbrs.payroll import _run_id
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_nmbrs import PLAN, TODAY, import_now
from tests.people import make_user


def test_the_sweeper_leaves_a_run_that_is_still_fetching_alone(bakkerij_nmbrs, yuki, nmbrs):
    run = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.MANUAL, plan=PLAN)
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    sweep()  # the fetch has recorded nothing yet
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING, "not finished as an empty success"


def test_a_second_run_of_the_same_administration_waits_its_turn(bakkerij_nmbrs, yuki):
    first = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.MANUAL, plan=PLAN)
    ImportRun.objects.filter(pk=first.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    second = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.SCHEDULED, plan=PLAN)
    with pytest.raises(runs.AdministrationBusy):
        runs.execute(second.pk)
    second.refresh_from_db()
    assert second.status == RunStatus.QUEUED and booked_in_yuki(yuki) == []


def test_import_now_twice_shows_the_running_import(bakkerij_nmbrs, client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    running = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.MANUAL, plan=PLAN)
    ImportRun.objects.filter(pk=running.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    response = client.post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": ""})
    assert response["Location"] == reverse("portal:run", args=[running.pk])
    assert ImportRun.objects.count() == 1


def test_a_redelivered_run_task_changes_nothing(bakkerij_nmbrs, yuki):
    run = import_now(bakkerij_nmbrs)
    totals = (run.fetched, run.booked, run.unchanged, run.result)
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)  # as if still going when redelivered
    runs.execute(run.pk)
    run.refresh_from_db()
    assert (run.fetched, run.booked, run.unchanged) == totals[:3]
    assert len(booked_in_yuki(yuki)) == fetched_entries().count()


def test_a_correction_during_a_check_is_kept_and_booked_after_the_answer(bakkerij_nmbrs, yuki, nmbrs, client):
    import_now(bakkerij_nmbrs)
    journal = LedgerEntry.objects.get(kind="journal")
    LedgerEntry.objects.filter(pk=journal.pk).update(state=EntryState.NEEDS_CHECK, check_by_person=True)
    nmbrs.app.state.correct_run(50001, _run_id(50001, TODAY.year, TODAY.month))
    run = import_now(bakkerij_nmbrs)
    journal.refresh_from_db()
    assert journal.pending_hash and journal.version == 1, "parked, not dropped"
    assert "terwijl het werd geboekt of gecontroleerd" in journal.events.last().message
    assert run.fetched == fetched_entries().count()
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    client.post(reverse("portal:document-answer", args=[journal.pk]), {"answer": "in_yuki"})
    journal.refresh_from_db()
    assert (journal.version, journal.state) == (2, EntryState.BOOKED)
    assert journal.events.filter(kind=EventKind.CORRECTION).exists()
    assert len(yuki.app.state.journals) == 2, "the original (confirmed in Yuki) and the correction"


def test_an_old_failure_is_not_reported_again_by_every_scheduled_run(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="ProcessJournal", message="GLAccount 4000 unknown")
    import_now(bakkerij_nmbrs)
    assert Notice.objects.get().repeats == 1
    scheduled = import_now(bakkerij_nmbrs, trigger=RunTrigger.SCHEDULED)
    assert scheduled.status == RunStatus.SUCCEEDED and scheduled.failed == 0, scheduled.result
    assert Notice.objects.get().repeats == 1, "no new e-mail about a failure this run did not attempt"


def test_an_answer_without_a_document_id_is_checked_and_found_not_resent(bakkerij_nmbrs, yuki, monkeypatch):
    from yuki_client import YukiClient

    real_call = YukiClient.call

    def call(self, service, operation, params=None, **kwargs):
        result = real_call(self, service, operation, params, **kwargs)
        return "" if operation == "ProcessJournal" else result

    monkeypatch.setattr(YukiClient, "call", call)
    import_now(bakkerij_nmbrs)
    journal = LedgerEntry.objects.get(kind="journal")
    assert journal.events.filter(kind=EventKind.NEEDS_CHECK).exists(), "no ID: it may be booked, so checked"
    assert journal.state == EntryState.BOOKED and not journal.check_by_person, "found in Yuki's listing"
    assert len(yuki.app.state.journals) == 1


def test_a_plain_http_500_on_an_upload_is_checked_then_sent_once(bakkerij_nmbrs, yuki, settings):
    yuki.app.faults.add("http_error", vendor="yuki", operation="UploadDocument", status=500, times=1)
    run = import_now(bakkerij_nmbrs)
    entry = LedgerEntry.objects.get(state=EntryState.NEEDS_CHECK)
    assert not entry.check_by_person, "not found yet, but too early to call it absent"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.IMPORT_REDISPATCH_AFTER_SECONDS + 1)):
        sweep()
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.result
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == fetched_entries().count()
    assert LedgerEntry.objects.filter(events__kind=EventKind.RECONCILED).count() == 1


def test_a_write_that_times_out_but_was_booked_is_found_not_resent(bakkerij_nmbrs, yuki, settings):
    settings.YUKI_TIMEOUT = 1.0
    yuki.app.faults.add("delay", vendor="yuki", operation="UploadDocument", seconds=2.0, times=1)
    import_now(bakkerij_nmbrs)
    entry = LedgerEntry.objects.get(events__kind=EventKind.NEEDS_CHECK)
    assert entry.state == EntryState.NEEDS_CHECK, "the immediate check must not call it absent and resend it"
    import time

    time.sleep(1.5)  # Yuki finishes the slow upload after our client gave up
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.IMPORT_REDISPATCH_AFTER_SECONDS + 1)):
        sweep()
    entry.refresh_from_db()
    assert entry.state == EntryState.BOOKED, [e.message for e in entry.events.all()]
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == fetched_entries().count()


def test_an_unsearchable_archive_is_asked_again_automatically_before_a_person(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("drop_after", vendor="yuki", operation="UploadDocument", times=1)
    yuki.app.faults.add("http_error", vendor="yuki", operation="SearchDocuments", status=503, times=2)
    run = import_now(bakkerij_nmbrs)
    entry = LedgerEntry.objects.get(events__kind=EventKind.NEEDS_CHECK)
    assert entry.state == EntryState.NEEDS_CHECK and not entry.check_by_person, "still the machine's job"
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING, "the run waits for the check"
    for hours in (1, 2):  # two more failed searches would hand it to a person; one succeeds first
        with time_machine.travel(timezone.now() + timedelta(hours=hours)):
            sweep()
    entry.refresh_from_db()
    assert entry.state == EntryState.BOOKED, [e.message for e in entry.events.all()]
    assert len(booked_in_yuki(yuki)) == fetched_entries().count()


def test_waiting_documents_are_not_sent_once_the_contract_is_off(bakkerij_nmbrs, yuki, settings):
    settings.YUKI_DAILY_BUDGET = 2
    import_now(bakkerij_nmbrs)
    bakkerij_nmbrs.domain.payroll_link_active = False
    bakkerij_nmbrs.domain.save()
    settings.YUKI_DAILY_BUDGET = 800
    with time_machine.travel((timezone.localtime() + timedelta(days=1)).replace(hour=0, minute=20)):
        enqueue_due_imports()
    assert not ImportRun.objects.filter(trigger=RunTrigger.RETRY).exists()
    assert LedgerEntry.objects.filter(state=EntryState.WAITING_BUDGET).exists()


def test_import_now_command_books_and_refuses_a_future_month(bakkerij_nmbrs, yuki, capsys):
    call_command("import_now", "--administration", "Bakkerij")
    assert "Afgerond" in capsys.readouterr().out
    assert len(booked_in_yuki(yuki)) == fetched_entries().count() > 0
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="toekomstige maand"):  # Dutch, like the form's message
        call_command("import_now", "--month", f"{TODAY.year + 1}-01")


def test_check_connections_command_reports_each_administration(bakkerij_nmbrs, yuki, capsys):
    call_command("check_connections")
    out = capsys.readouterr().out
    assert "Bakkerij Jansen B.V." in out and "Nmbrs" in out and "Yuki" in out
    assert "FOUT" not in out, out
    # Authenticate and Administrations (the key and ID as Yuki knows them); no journal yet, so no chart.
    assert "Yuki-aanroepen vandaag voor dit domein: 2" in out, "Dutch, the portal language"
