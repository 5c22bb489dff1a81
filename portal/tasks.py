"""Celery tasks: short ones, one per administration run, and pushes in small batches (paperless-style).

A run's documents go out in batches of IMPORT_PUSH_BATCH_SIZE, one push (claim, Yuki call, settle) per
document inside the batch: a Celery task costs the worker more CPU (publishing, delivery, acknowledgement
in Redis, the pool's hand-over) than a push itself, and a batch still spreads a large administration
over several workers. A document that must be tried again, checked or sent again leaves its batch as a
task of its own (push_document), so each document's retries stay its own.

This module is the only one that sends tasks (`.delay`): views, commands and the beat call the helpers
here; the engine (portal.imports) returns what is to be sent and never imports this module.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from portal.effective import effective_settings
from portal.imports import finishing, leases, ledger, runs
from portal.imports.pushing import PUSH_RETRIES, Outcome, push
from portal.imports.reconcile import Resolution, reconcile
from portal.models import (
    Administration,
    EntryState,
    ImportRun,
    LedgerEntry,
    RunStatus,
    RunTrigger,
)
from portal.scheduling import blocking_reason, due_imports
from yuki_client import amsterdam_day

log = logging.getLogger(__name__)


def enqueue(run: ImportRun) -> None:
    """Send the run to a worker once the transaction that created it commits."""
    transaction.on_commit(lambda: run_import.delay(run.pk))


def retry_failed(administration: Administration, user=None, *, states=(EntryState.FAILED, *runs.WAITING_FOR_YUKI),
                 slot: str = "") -> ImportRun | None:
    """Queue a run that pushes the failed (and waiting-for-Yuki) documents again, without fetching."""
    run = runs.create_retry_run(administration, user, states=states, slot=slot)
    if run is not None:
        enqueue(run)
    return run


def resend_document(entry: LedgerEntry, user=None) -> ImportRun | None:
    """Queue a run that sends this one document again (see runs.create_resend_run for which may go)."""
    run = runs.create_resend_run(entry, user)
    if run is not None:
        enqueue(run)
    return run


@shared_task(name="portal.tasks.heartbeat")
def heartbeat(source: str = "worker") -> str:
    """Beat sends this every minute and a worker runs it: a fresh row proves both are alive."""
    from portal.health import record_heartbeat

    record_heartbeat(source)
    return source


@shared_task(name="portal.tasks.enqueue_due_imports")
def enqueue_due_imports() -> int:
    """The one periodic entry: whatever is due now gets a run (once per slot, by the unique slot)."""
    created = 0
    for due in due_imports(timezone.now()):
        try:
            with transaction.atomic():
                if due.skip_reason:
                    runs.record_skip(due.administration, due.slot, due.skip_reason)
                else:
                    run = runs.create_run(due.administration, trigger=RunTrigger.SCHEDULED, plan=due.plan,
                                          slot=due.slot)
                    enqueue(run)
                created += 1
        except IntegrityError:
            continue  # this slot already has its run
    return created + _send_waiting_documents()


def _send_waiting_documents() -> int:
    """Documents that waited for Yuki's budget go out the next day, whatever the import window says,
    once a day per administration (slot 'budget:<day>'); the budget itself decides how far they get."""
    slot = f"budget:{amsterdam_day().isoformat()}"
    sent = 0
    for administration in Administration.objects.filter(ledger_entries__state=EntryState.WAITING_BUDGET).distinct():
        if blocking_reason(effective_settings(administration)):
            continue  # the contract or automatic import was switched off meanwhile: they wait for a person
        try:
            with transaction.atomic():
                if retry_failed(administration, states=(EntryState.WAITING_BUDGET,), slot=slot):
                    sent += 1
        except IntegrityError:
            continue  # today's run for the waiting documents exists
    return sent


@shared_task(name="portal.tasks.run_import", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=60)
def run_import(self, run_id: int) -> None:
    try:
        to_push = runs.execute(run_id)
    except runs.AdministrationBusy as exc:
        # Another import of this administration is running: wait for it (the sweeper re-sends a run
        # that is still queued after these retries).
        raise self.retry(countdown=settings.IMPORT_BUSY_RETRY_SECONDS) from exc
    send_pushes(to_push, run_id)


def batches(entry_ids: list[int], size: int) -> list[list[int]]:
    """`entry_ids` in batches of at most `size`, as even as can be (23 by 10: 8, 8 and 7), so no worker
    is left with a short tail while the others wait."""
    if not entry_ids:
        return []
    count = -(-len(entry_ids) // max(size, 1))
    return [entry_ids[n::count] for n in range(count)]


def send_pushes(entry_ids: list[int], run_id: int | None) -> None:
    """The run's pushes, in batches, over one producer (one broker connection for all of them)."""
    with push_documents.app.producer_or_acquire() as producer:
        for batch in batches(list(entry_ids), settings.IMPORT_PUSH_BATCH_SIZE):
            if len(batch) == 1:
                push_document.apply_async((batch[0], run_id), producer=producer)
            else:
                push_documents.apply_async((batch, run_id), producer=producer)


# Well below the push lease (IMPORT_PUSH_LEASE_SECONDS), so a live push is never taken for a dead one.
# A batch has the same limit as a single push: every push in it is claimed after the batch started, so
# each one's lease outlasts the batch (portal/checks.py checks both tasks).
PUSH_TIME_LIMIT = settings.IMPORT_PUSH_TIME_LIMIT_SECONDS
# A batch starts no push after this much work: what is left goes to a new task under a fresh limit. So a
# push started in a batch still has three quarters of a push's soft time limit (a single push has all of
# it): a slow Yuki hands the rest on instead of pushing a batch into the limit in the middle of a document.
BATCH_WORK_SECONDS = (PUSH_TIME_LIMIT - 30) / 4
# What a batch claims: only documents its run made `new` (dispatch, a release, a newer version). A batch
# delivered again after its worker died must not push again what it already settled as failed or waiting
# for the budget (another Yuki call, the run counted down twice).
BATCH_CLAIMS = (EntryState.NEW,)


def retry_countdown(retries: int) -> int:
    return settings.IMPORT_RETRY_SECONDS * (2 ** retries)


def run_ref(run_id: int | None) -> ImportRun | None:
    # The run's id is all a push needs of it (the ledger's statements check that the run still exists):
    # no query for the run on every push.
    return ImportRun(pk=run_id) if run_id else None


def push_one(entry_id: int, run_id: int | None, *, retries: int = 0, run: ImportRun | None = None,
             states=ledger.CLAIMABLE) -> Outcome:
    """One push and what follows from its outcome, except a retry (the caller schedules it)."""
    run = run or run_ref(run_id)
    result = push(entry_id, run, final_attempt=retries >= push_document.max_retries, states=states)
    if result.outcome == Outcome.RETRY:
        return result.outcome
    settled = result.settled  # a booking tells whether a newer version waits and how many the run has left
    if result.outcome == Outcome.NEEDS_CHECK:
        reconcile_document.apply_async((entry_id, run_id), countdown=settings.IMPORT_RECONCILE_DELAY_SECONDS)
    elif result.outcome != Outcome.NOT_OURS and (settled is None or settled.pending) and \
            ledger.take_up_pending(entry_id, run):
        push_document.delay(entry_id, run_id)  # a newer version arrived during this attempt
        return result.outcome
    if run_id and (settled is None or settled.run_id != run_id or settled.outstanding is None
                   or settled.outstanding <= 0):
        finishing.finish_if_done(run_id)
    return result.outcome


@shared_task(name="portal.tasks.push_document", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=PUSH_RETRIES, soft_time_limit=PUSH_TIME_LIMIT - 30, time_limit=PUSH_TIME_LIMIT)
def push_document(self, entry_id: int, run_id: int | None) -> str:
    outcome = push_one(entry_id, run_id, retries=self.request.retries)
    if outcome == Outcome.RETRY:
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return outcome


@shared_task(name="portal.tasks.push_documents", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=PUSH_TIME_LIMIT - 30, time_limit=PUSH_TIME_LIMIT)
def push_documents(entry_ids: list[int], run_id: int | None) -> dict:
    """A batch of a run's pushes, one after the other. Delivered again after a crash, it pushes what is
    still to be pushed: a claim takes only a document that is not booked or being pushed."""
    started = time.monotonic()
    run = run_ref(run_id)  # one for the batch: building a model instance costs more than it looks
    outcomes: dict[str, int] = {}
    for index, entry_id in enumerate(entry_ids):
        if index and time.monotonic() - started > BATCH_WORK_SECONDS:
            send_pushes(entry_ids[index:], run_id)  # the rest under a fresh time limit
            break
        if index and connection.errors_occurred:
            # Django checks the connection around each task, not between a batch's pushes: after a database
            # restart only the push that met it fails, not every one after it.
            close_old_connections()
        try:
            outcome = push_one(entry_id, run_id, run=run, states=BATCH_CLAIMS)
        except Exception:
            # Celery acknowledges a batch that fails (a soft time limit included): the rest must not wait for
            # the sweep. (This document is settled or holds its lease, which runs out into a check.) A worker
            # going down (SystemExit, a kill) hands nothing on: its batch is delivered again.
            _hand_on(entry_ids[index + 1:], run_id)
            raise
        if outcome == Outcome.RETRY:  # its first retry, as push_document's own would be
            push_document.apply_async((entry_id, run_id), countdown=retry_countdown(0), retries=1)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _hand_on(entry_ids: list[int], run_id: int | None) -> None:
    if not entry_ids:
        return
    try:
        send_pushes(entry_ids, run_id)
    except Exception:  # the broker is gone too: the sweep sends them (they stay `new`)
        log.warning("could not hand %s pushes of run %s on to a new task", len(entry_ids), run_id, exc_info=True)


@shared_task(name="portal.tasks.reconcile_document", acks_late=True, soft_time_limit=PUSH_TIME_LIMIT - 30,
             time_limit=PUSH_TIME_LIMIT)
def reconcile_document(entry_id: int, run_id: int | None = None) -> str:
    run = ImportRun.objects.filter(pk=run_id).first() if run_id else None
    resolution = reconcile(entry_id, run)
    if resolution == Resolution.ABSENT or (resolution == Resolution.FOUND and ledger.take_up_pending(entry_id, run)):
        push_document.delay(entry_id, run_id)
    elif run_id:
        finishing.finish_if_done(run_id, exact=True)  # a check settles documents without counting them down
    return resolution


@shared_task(name="portal.tasks.sweep")
def sweep() -> dict:
    """Recover from crashes: expired push leases go to a check (never a resend), pushes of running runs
    that were lost are dispatched again (claims are conditional, so a duplicate does nothing), and
    runs with nothing left to do are finished."""
    expired = leases.expire_stale_leases()
    for entry_id in expired:
        entry = LedgerEntry.objects.get(pk=entry_id)
        reconcile_document.delay(entry_id, entry.last_run_id)
    redispatched = 0
    now = timezone.now()
    quiet_since = now - timedelta(seconds=settings.IMPORT_REDISPATCH_AFTER_SECONDS)
    # A run whose fetch died (running, never dispatched, older than a lease): its task takes it over.
    for run_id in ImportRun.objects.filter(status=RunStatus.RUNNING, dispatched_at__isnull=True,
                                           started_at__lt=now - timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS)
                                           ).values_list("pk", flat=True):
        run_import.delay(run_id)
    for run in ImportRun.objects.filter(status=RunStatus.RUNNING, dispatched_at__isnull=False):
        lost = list(LedgerEntry.objects.filter(last_run=run, state=EntryState.NEW, updated_at__lt=quiet_since)
                    .values_list("pk", flat=True))
        for entry_id in lost:
            push_document.delay(entry_id, run.pk)
        redispatched += len(lost)
        if not lost:
            finishing.finish_if_done(run.pk, exact=True)
    unchecked = LedgerEntry.objects.filter(state=EntryState.NEEDS_CHECK, check_by_person=False,
                                           updated_at__lt=quiet_since).values_list("pk", "last_run_id")
    for entry_id, run_id in unchecked:
        reconcile_document.delay(entry_id, run_id)  # its check was lost: ask again
    stale_queued = ImportRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=quiet_since)
    for run in stale_queued:
        run_import.delay(run.pk)
    return {"expired": len(expired), "redispatched": redispatched}
