"""A real worker (prefork, Redis broker, PostgreSQL) killed at each step of a push.

After recovery every document is booked exactly once, judged by the Yuki sandbox's own record.
The kill points are reached without hooks in the code: the Yuki sandbox's latency holds the worker
"after sending", and a row lock taken by the test holds it "after Yuki answered, before our commit".
"""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.utils import timezone

from portal import tasks
from portal.imports import runs
from portal.models import EntryState, LedgerEntry, RunStatus, RunTrigger
from portal.tasks import sweep
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_nmbrs import PLAN

# One pool process, so `worker.kill_child()` kills the one running the task. The worker's clock is real
# while the test travels past leases: it may call an upload absent at once.
pytestmark = pytest.mark.celery_worker(concurrency=1, IMPORT_RECONCILE_DELAY_SECONDS=0)


def wait_for(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def history(administration) -> str:
    lines = []
    for entry in fetched_entries(administration=administration):
        lines.append(f"{entry.title} [{entry.kind}] {entry.state} by_person={entry.check_by_person}")
        lines += [f"    {e.kind}: {e.message}" for e in entry.events.all()]
    return "\n".join(lines)


def start_import(administration):
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=PLAN)
    tasks.enqueue(run)  # autocommit: sent at once
    return run


def recover_and_finish(run, settings, stuck: int = 1):
    """What the beat does after a crash: once the worker has settled everything it still could (only the
    killed push is left in `pushing`), sweep past the lease until the run is finished."""
    def only_the_killed_left():
        entries = fetched_entries(administration=run.administration)
        return (entries.exists() and not entries.filter(state=EntryState.NEW).exists()
                and entries.filter(state=EntryState.PUSHING).count() <= stuck)

    wait_for(only_the_killed_left, timeout=60, what="the worker to settle the other documents")

    def finished():
        with time_machine.travel(timezone.now() + timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS + 5)):
            sweep.apply()
        run.refresh_from_db()
        return run.status not in (RunStatus.QUEUED, RunStatus.RUNNING) and run
    return wait_for(finished, timeout=60, what="the run to finish after recovery")


def test_killed_while_yuki_processes_the_upload(bakkerij_nmbrs, yuki, worker, settings):
    yuki.app.faults.add("delay", vendor="yuki", operation="UploadDocument", seconds=2.0, times=1)
    run = start_import(bakkerij_nmbrs)
    wait_for(lambda: yuki.app.faults.calls.get("yuki:UploadDocument"), what="the upload to reach Yuki")
    worker.kill_child()  # Yuki books it after its delay; our worker never hears back
    wait_for(lambda: yuki.app.state.archive, what="Yuki to book the upload")
    run = recover_and_finish(run, settings)
    entries = fetched_entries(administration=bakkerij_nmbrs)
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}, history(bakkerij_nmbrs)
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == entries.count(), "each document exactly once"


def test_killed_after_yuki_answered_before_our_commit(bakkerij_nmbrs, yuki, worker, settings):
    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    yuki.app.faults.add("delay", vendor="yuki", operation="UploadDocument", seconds=1.0, times=1)
    run = start_import(bakkerij_nmbrs)
    pushing = wait_for(lambda: LedgerEntry.objects.filter(administration=bakkerij_nmbrs,
                                                          state=EntryState.PUSHING).first(),
                       what="a claimed document")
    with psycopg.connect(dsn) as lock:
        # Hold the row: the worker's settle UPDATE (after Yuki's answer) waits for us.
        lock.execute("SELECT id FROM portal_ledgerentry WHERE id = %s FOR UPDATE", [pushing.pk])
        wait_for(lambda: len(booked_in_yuki(yuki)) >= 1, what="Yuki to answer")
        time.sleep(0.5)  # the worker now waits on our lock, with Yuki's answer in hand
        worker.kill_child()
        lock.rollback()
    run = recover_and_finish(run, settings)
    entry = LedgerEntry.objects.get(pk=pushing.pk)
    # Found in Yuki: an upload in its archive by its unique name, a journal in its account's listing by
    # the reference in its lines. Never resent.
    assert entry.state == EntryState.BOOKED, history(bakkerij_nmbrs)
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)), f"booked twice: {names}"
    others = fetched_entries(administration=bakkerij_nmbrs).exclude(pk=entry.pk)
    assert set(others.values_list("state", flat=True)) <= {EntryState.BOOKED}


def test_killed_after_its_claim_before_the_call(bakkerij_nmbrs, yuki, worker, settings):
    # The first upload in a fresh worker process downloads the Archive WSDL before its SOAP call: hold
    # that download (the second GET; the first is the Accounting WSDL of the run's session), and kill
    # the process there. Its claim is committed, nothing reached Yuki.
    yuki.app.faults.add("delay", vendor="yuki", operation="GET", on_call=2, seconds=5.0, times=1)
    run = start_import(bakkerij_nmbrs)
    wait_for(lambda: yuki.app.faults.calls.get("yuki:GET", 0) >= 2, what="the upload to fetch its WSDL")
    claimed = wait_for(lambda: LedgerEntry.objects.filter(administration=bakkerij_nmbrs, state=EntryState.PUSHING,
                                                          journal_lines__isnull=True).first(),
                       what="the claimed upload")
    worker.kill_child()
    run = recover_and_finish(run, settings)
    claimed.refresh_from_db()
    assert claimed.state == EntryState.BOOKED, history(bakkerij_nmbrs)
    assert claimed.events.filter(kind="reconciled").exists(), "checked in Yuki (not found), then sent"
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == fetched_entries(administration=bakkerij_nmbrs).count()
