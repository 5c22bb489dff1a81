"""A run's life: created (scheduled, manual, retry, resend, backfill), started, fetched and recorded, its
pushes dispatched. How it ends is portal.imports.finishing, what it says portal.imports.summaries, a dry
run's preview portal.imports.dry_run."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors import kinds
from connectors.documents import Period
from portal.effective import effective_settings
from portal.imports import finishing, ledger, waiting
from portal.imports.dry_run import preview as preview_dry_run
from portal.imports.ledger import Change
from portal.imports.sources import fetch_documents
from portal.models import (
    Administration,
    EntryState,
    ImportRun,
    LedgerEntry,
    RunStatus,
    RunTrigger,
)
from portal.scheduling import blocking_reason, chosen_pause, plan_for
from portal.sources.base import NotYetAvailable, Plan, SourceUnavailable
from portal.sources.registry import source_of
from portal.vendors import charge_yuki_calls, yuki_client
from yuki_client import YukiError

log = logging.getLogger(__name__)

def plan_to_json(plan: Plan) -> dict:
    return {str(kind): [[p.year, p.number] for p in periods] for kind, periods in plan.items()}


def plan_from_json(data: dict) -> Plan:
    return {kinds.named(kind): tuple(_period(year, number) for year, number in periods)
            for kind, periods in data.items() if kinds.is_registered(kind)}  # a retry run's plan holds states


def _period(year: int, number: int) -> Period:
    # Number 0 is a whole year: annual documents (jaaropgaven and the like).
    return Period.whole_year(year) if number == 0 else Period.month(year, number)


def create_run(administration: Administration, *, trigger: str, plan: Plan, slot: str = "", user=None,
               dry_run: bool = False, category: str = "payroll") -> ImportRun:
    return ImportRun.objects.create(
        administration=administration, source=administration.source, trigger=trigger, slot=slot,
        plan=plan_to_json(plan), periods=sorted({p.key for ps in plan.values() for p in ps}), dry_run=dry_run,
        requested_by=user if getattr(user, "is_authenticated", False) else None, category=category)


def create_import_run(administration: Administration, *, month: date | None = None, dry_run: bool = False,
                      user=None) -> ImportRun:
    """Import now (the button, the import_now command): the documents the schedule would fetch, or those of a
    chosen month (a backfill)."""
    return create_run(administration, trigger=RunTrigger.BACKFILL if month else RunTrigger.MANUAL,
                      plan=plan_for(administration, month), user=user, dry_run=dry_run)


def record_skip(administration: Administration, slot: str, reason: str) -> ImportRun:
    now = timezone.now()
    return ImportRun.objects.create(administration=administration, source=administration.source,
                                    trigger=RunTrigger.SCHEDULED, slot=slot, status=RunStatus.SKIPPED,
                                    result=reason, started_at=now, finished_at=now)


class AdministrationBusy(Exception):
    """Another import of this administration is running: this one waits its turn (the task retries)."""


def active_run(administration: Administration) -> ImportRun | None:
    return administration.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], dry_run=False).first()


def _start(run_id: int) -> ImportRun | None:
    """Move the run from queued to running, or take over a running one whose fetch died. None: not ours.

    The start is one conditional UPDATE; the unique constraint on running runs makes it fail while
    another run of the same administration is running (AdministrationBusy).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            started = ImportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
                status=RunStatus.RUNNING, started_at=now)
    except IntegrityError as exc:
        raise AdministrationBusy(run_id) from exc
    run = ImportRun.objects.select_related("administration__domain").get(pk=run_id)
    if started:
        return run
    if run.status != RunStatus.RUNNING or run.dispatched_at is not None:
        return None  # finished, or its pushes are out (they finish it): a redelivered task has nothing to do
    # Running but never dispatched: another worker is fetching it, or that worker died while fetching.
    if run.started_at and run.started_at > now - timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS):
        return None
    took = ImportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, dispatched_at=None,
                                    started_at=run.started_at).update(started_at=now)
    return run if took else None


def execute(run_id: int) -> list[int]:
    """The body of the run_import task: the ledger entries it hands to push tasks (portal.tasks sends
    them). Safe to run again for the same run (a redelivered task): then nothing."""
    run = _start(run_id)
    if run is None:
        return []
    administration = run.administration
    if run.trigger == RunTrigger.RETRY:
        return _dispatch_retry(run)
    effective = effective_settings(administration)
    manual = run.trigger != RunTrigger.SCHEDULED
    if chosen := chosen_pause(effective, manual=manual):  # a state a person chose: no failure, no alarm
        finishing.finish(run, RunStatus.SKIPPED, chosen)
        return []
    reason = blocking_reason(effective, manual=manual)
    if reason:
        finishing.finish(run, RunStatus.SKIPPED if run.trigger == RunTrigger.SCHEDULED else RunStatus.FAILED, reason)
        return []
    if problem := source_of(administration).prepare(effective):
        finishing.finish(run, RunStatus.FAILED, problem)
        return []
    try:
        fetched = fetch_documents(effective, plan_from_json(run.plan))
        documents = fetched.documents
    except NotYetAvailable as exc:  # e.g. a year not closed yet: wait for it, no alarm
        finishing.finish(run, RunStatus.SKIPPED, exc.message)
        return []
    except SourceUnavailable as exc:
        finishing.finish(run, RunStatus.FAILED, _("Fetching from the payroll source failed: %(error)s") % {
            "error": exc.message})
        return []
    except Exception as exc:  # noqa: BLE001 - one administration's failure never stops the others
        log.exception("fetching for run %s failed", run_id)
        finishing.finish(run, RunStatus.FAILED, _("Fetching from the payroll source failed unexpectedly (%(error)s).") % {
            "error": type(exc).__name__})
        return []

    waiting.take_in(run, fetched.waiting, dry_run=run.dry_run)
    if run.dry_run:
        ImportRun.objects.filter(pk=run.pk).update(problems=fetched.problems)
        preview_dry_run(run, documents)
        return []

    to_push, unchanged, unreadable = [], 0, []
    retry_failed_too = run.trigger in (RunTrigger.MANUAL, RunTrigger.RETRY)
    for recorded in ledger.record_all(administration, documents, run):
        if recorded.change == Change.UNCHANGED:
            unchanged += 1
        elif recorded.change == Change.UNREADABLE_CHANGE:
            unchanged += 1  # as far as booking goes: nothing is sent; a person is told below
            unreadable.append(recorded.entry)
        elif recorded.change in (Change.NEW, Change.CHANGED, Change.CORRECTION):
            to_push.append(recorded.entry.pk)
        elif recorded.change == Change.PENDING and (recorded.entry.state != EntryState.FAILED or retry_failed_too):
            to_push.append(recorded.entry.pk)
    # Documents that waited for Yuki's budget, or for accounts in Yuki (portal/account_check.py), go along
    # with this run: the mapping or Yuki's chart may have been fixed since.
    to_push += list(administration.ledger_entries.filter(state__in=WAITING_FOR_YUKI).exclude(pk__in=to_push)
                    .values_list("pk", flat=True))
    ImportRun.objects.filter(pk=run.pk).update(fetched=len(documents), unchanged=unchanged, problems=fetched.problems)
    if unreadable:
        finishing.notify_unreadable_changes(run, unreadable)
    if to_push:
        _open_yuki_session(run)
    return dispatch(run, to_push)


WAITING_FOR_YUKI = (EntryState.WAITING_BUDGET, EntryState.WAITING_ACCOUNTS)


def create_retry_run(administration: Administration, user=None, *,
                     states=(EntryState.FAILED, *WAITING_FOR_YUKI), slot: str = "") -> ImportRun | None:
    """A run that pushes the failed (and budget-waiting) documents again, without fetching (None when
    there are none). portal.tasks.retry_failed queues it."""
    if not administration.ledger_entries.filter(state__in=states).exists():
        return None
    run = create_run(administration, trigger=RunTrigger.RETRY, plan={}, user=user, slot=slot)
    ImportRun.objects.filter(pk=run.pk).update(plan={"states": [str(state) for state in states]})
    return run


def _dispatch_retry(run: ImportRun) -> list[int]:
    states = run.plan.get("states") or [EntryState.FAILED, *WAITING_FOR_YUKI]
    chosen = run.administration.ledger_entries.filter(state__in=states)
    if run.plan.get("entries"):  # one document resent from its page
        chosen = chosen.filter(pk__in=run.plan["entries"])
    entries = list(chosen.values_list("pk", flat=True))
    if entries:
        _open_yuki_session(run)
    return dispatch(run, entries)


def _open_yuki_session(run: ImportRun) -> None:
    """Authenticate once before the pushes start in parallel: they all reuse this session, instead of
    several workers finding no session at the same moment and each spending a call on Authenticate."""
    client = yuki_client(run.administration)
    try:
        client.session_id()
    except YukiError:
        pass  # each push reports the problem for its own document
    charge_yuki_calls(run, client)


def dispatch(run: ImportRun, entry_ids: list[int]) -> list[int]:
    """Make the documents this run's to push: they become 'new' (to be booked) and this run's
    responsibility, so the run ends only when each of them is settled, also ones that waited or failed
    before. Returns the ones for push tasks (none when nothing was taken: then the run is finished)."""
    now = timezone.now()
    taken = 0
    if entry_ids:
        # By primary key only, the state judged here under the row locks: a state condition in SQL lets
        # the planner read the state index, every new document of the whole night, once per run.
        with transaction.atomic():
            states = LedgerEntry.objects.select_for_update().filter(pk__in=entry_ids).values_list("pk", "state")
            claimable = [pk for pk, state in states if state in ledger.CLAIMABLE]
            taken = LedgerEntry.objects.filter(pk__in=claimable).update(
                last_run=run, state=EntryState.NEW, updated_at=now) if claimable else 0
    # The run waits for these: each push's settle counts one down (ImportRun.outstanding).
    ImportRun.objects.filter(pk=run.pk).update(dispatched_at=now, outstanding=taken)
    if not taken:
        finishing.finish_if_done(run.pk)
        return []
    return list(entry_ids)


RESENDABLE = (EntryState.FAILED, *WAITING_FOR_YUKI)


def create_resend_run(entry: LedgerEntry, user=None) -> ImportRun | None:
    """A run that sends one document again, by the rules of "retry failed": only a document that failed or
    waits for Yuki's budget; never a booked one (nothing twice) nor one whose booking is uncertain (that
    needs a check). The caller enqueues it."""
    if entry.state not in RESENDABLE:
        return None
    run = create_run(entry.administration, trigger=RunTrigger.RETRY, plan={}, user=user)
    ImportRun.objects.filter(pk=run.pk).update(plan={"states": [str(state) for state in RESENDABLE],
                                                     "entries": [entry.pk]})
    return run


