"""Faults while booking: nothing lost, nothing twice, every failure visible and explained."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal import tasks
from portal.models import EntryState, EventKind, LedgerEntry, Notice, RunStatus
from portal.tasks import sweep
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_nmbrs import import_now


def test_an_exhausted_budget_waits_for_tomorrow_and_loses_nothing(bakkerij_nmbrs, yuki, settings):
    settings.YUKI_DAILY_BUDGET = 4  # Authenticate + the journal's chart of accounts + 2 documents
    run = import_now(bakkerij_nmbrs)
    entries = fetched_entries(administration=bakkerij_nmbrs)
    waiting = entries.filter(state=EntryState.WAITING_BUDGET)
    assert entries.filter(state=EntryState.BOOKED).count() == 2
    assert waiting.count() == entries.count() - 2 > 0
    assert run.status == RunStatus.WAITING_BUDGET, "waiting for tomorrow's budget: not a failure, not done either"
    assert not Notice.objects.exists(), "and nobody is alarmed by e-mail"
    assert run.waiting == waiting.count()
    assert "budget" in run.result.lower()
    assert yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id) == 4, "no call beyond the budget"

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        run = import_now(bakkerij_nmbrs)
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
    booked = booked_in_yuki(yuki)
    assert len(booked) == len(set(booked)) == entries.count(), "each document exactly once"


def test_a_refusal_is_explained_notified_once_per_run_and_retried_on_request(bakkerij_nmbrs, yuki, settings):
    from portal.models import PortalRole
    from tests.people import make_user

    make_user("alice", PortalRole.ADMINISTRATOR)  # alice@example.nl gets the e-mail
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="ProcessJournal", times=2,
                        message="GLAccount 4000 does not exist")
    run = import_now(bakkerij_nmbrs)
    assert run.status == RunStatus.PARTLY_FAILED
    journal = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="journal")
    assert journal.state == EntryState.FAILED
    assert "GLAccount 4000 does not exist" in journal.last_error
    notice = Notice.objects.get(administration=bakkerij_nmbrs, resolved_at__isnull=True)
    assert len(mail.outbox) == 1, "one e-mail for the run, not one per document"
    assert mail.outbox[0].to == ["alice@example.nl"] and "Bakkerij Jansen" in mail.outbox[0].subject

    retry = tasks.retry_failed(bakkerij_nmbrs)  # fails again (times=2): a second failure in a row
    retry.refresh_from_db()
    assert retry.status == RunStatus.FAILED
    notice.refresh_from_db()
    assert notice.repeats == 2
    assert len(mail.outbox) == 2 and "2" in mail.outbox[1].subject, "the second failure in a row says so"

    retry = tasks.retry_failed(bakkerij_nmbrs)
    retry.refresh_from_db()
    assert retry.status == RunStatus.SUCCEEDED, retry.result
    journal.refresh_from_db()
    assert journal.state == EntryState.BOOKED
    assert len(yuki.app.state.journals) == 1
    notice.refresh_from_db()
    assert notice.resolved_at is not None, "a success closes the notice"
    history = list(journal.events.values_list("kind", flat=True))
    assert history.count(EventKind.FAILED) == 2 and history[-1] == EventKind.BOOKED


class Killed(BaseException):
    """Stands in for a worker killed at a given point of a push."""


def test_killed_after_yuki_answered_but_before_our_commit(bakkerij_nmbrs, yuki, monkeypatch, settings):
    from portal.imports import leases

    real_settle = leases.settle
    killed = []

    def settle(entry_id, token, state, *args, **kwargs):
        if state == EntryState.BOOKED and not killed:
            killed.append(entry_id)
            raise Killed()
        return real_settle(entry_id, token, state, *args, **kwargs)

    monkeypatch.setattr(leases, "settle", settle)
    with pytest.raises(Killed):
        import_now(bakkerij_nmbrs)
    monkeypatch.setattr(leases, "settle", real_settle)
    entry = LedgerEntry.objects.get(pk=killed[0])
    assert entry.state == EntryState.PUSHING, "the claim was committed before the call"
    assert len(booked_in_yuki(yuki)) == 1, "Yuki did book it"

    sweep()  # before the lease expires: nothing happens
    entry.refresh_from_db()
    assert entry.state == EntryState.PUSHING
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS + 1)):
        sweep()
    entry.refresh_from_db()
    # Found in Yuki: an upload in its archive by its file name, a journal in the listing of one of its
    # accounts by the reference in its lines.
    assert entry.state == EntryState.BOOKED, entry.last_error
    assert entry.events.filter(kind=EventKind.RECONCILED).exists()
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)), "nothing booked twice"


def test_connection_dropped_after_yuki_booked_an_upload(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("drop_after", vendor="yuki", operation="UploadDocument", times=1)
    run = import_now(bakkerij_nmbrs)
    entries = fetched_entries(administration=bakkerij_nmbrs)
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}, run.result
    reconciled = entries.get(events__kind=EventKind.RECONCILED)
    assert reconciled.events.filter(kind=EventKind.NEEDS_CHECK).exists()
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == entries.count()


def test_documents_waiting_for_the_budget_go_out_the_next_day_once(bakkerij_nmbrs, yuki, settings):
    from portal.models import ImportRun, RunTrigger
    from portal.tasks import enqueue_due_imports

    settings.YUKI_DAILY_BUDGET = 2  # Authenticate + 1 document
    import_now(bakkerij_nmbrs)
    waiting = LedgerEntry.objects.filter(state=EntryState.WAITING_BUDGET)
    assert waiting.count() >= 1
    # Outside any import slot (Nmbrs runs 07:00-20:00): only the waiting documents are sent.
    settings.YUKI_DAILY_BUDGET = 800
    next_night = (timezone.localtime() + timedelta(days=1)).replace(hour=0, minute=20)
    with time_machine.travel(next_night):
        enqueue_due_imports()
        enqueue_due_imports()  # the beat again ten minutes later: no second run
    retry = ImportRun.objects.get(trigger=RunTrigger.RETRY)
    assert retry.slot.startswith("budget:") and retry.status == RunStatus.SUCCEEDED, [
        (e.title, e.state, e.last_error, [ev.message for ev in e.events.all()]) for e in fetched_entries()]
    assert not waiting.exists()
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == fetched_entries().count()
