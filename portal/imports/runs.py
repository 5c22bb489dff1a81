"""A run's life: created (scheduled, manual, retry, backfill), fetched and recorded, pushes dispatched,
finished with totals and a result in words, and a notice when it failed."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from connectors.documents import DocumentKind, Period
from portal import notifications
from portal.effective import effective_settings
from portal.imports import booking, ledger, waiting
from portal.imports.ledger import Change
from portal.imports.sources import fetch_documents
from portal.models import (
    Administration,
    EntryState,
    ImportRun,
    LedgerEntry,
    Notice,
    NoticeLevel,
    RunStatus,
    RunTrigger,
)
from portal.scheduling import blocking_reason, chosen_pause
from portal.sources.base import NotYetAvailable, Plan, SourceUnavailable
from portal.sources.registry import source_of
from portal.vendors import charge_yuki_calls, yuki_client
from yuki_client import YukiError

log = logging.getLogger(__name__)

KIND_VALUES = {kind.value for kind in DocumentKind}


def plan_to_json(plan: Plan) -> dict:
    return {kind.value: [[p.year, p.number] for p in periods] for kind, periods in plan.items()}


def plan_from_json(data: dict) -> Plan:
    return {DocumentKind(kind): tuple(_period(year, number) for year, number in periods)
            for kind, periods in data.items() if kind in KIND_VALUES}  # a retry run's plan holds states


def _period(year: int, number: int) -> Period:
    # Number 0 is a whole year: annual documents (jaaropgaven and the like).
    return Period.whole_year(year) if number == 0 else Period.month(year, number)


def create_run(administration: Administration, *, trigger: str, plan: Plan, slot: str = "", user=None,
               dry_run: bool = False, category: str = "payroll") -> ImportRun:
    return ImportRun.objects.create(
        administration=administration, source=administration.source, trigger=trigger, slot=slot,
        plan=plan_to_json(plan), periods=sorted({p.key for ps in plan.values() for p in ps}), dry_run=dry_run,
        requested_by=user if getattr(user, "is_authenticated", False) else None, category=category)


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
        _finish(run, RunStatus.SKIPPED, chosen)
        return []
    reason = blocking_reason(effective, manual=manual)
    if reason:
        _finish(run, RunStatus.SKIPPED if run.trigger == RunTrigger.SCHEDULED else RunStatus.FAILED, reason)
        return []
    if problem := source_of(administration).prepare(effective):
        _finish(run, RunStatus.FAILED, problem)
        return []
    try:
        fetched = fetch_documents(effective, plan_from_json(run.plan))
        documents = fetched.documents
    except NotYetAvailable as exc:  # e.g. a year not closed yet: wait for it, no alarm
        _finish(run, RunStatus.SKIPPED, exc.message)
        return []
    except SourceUnavailable as exc:
        _finish(run, RunStatus.FAILED, _("Fetching from the payroll source failed: %(error)s") % {
            "error": exc.message})
        return []
    except Exception as exc:  # noqa: BLE001 - one administration's failure never stops the others
        log.exception("fetching for run %s failed", run_id)
        _finish(run, RunStatus.FAILED, _("Fetching from the payroll source failed unexpectedly (%(error)s).") % {
            "error": type(exc).__name__})
        return []

    waiting.take_in(run, fetched.waiting, dry_run=run.dry_run)
    if run.dry_run:
        ImportRun.objects.filter(pk=run.pk).update(problems=fetched.problems)
        _dry_run(run, documents)
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
        _notify_unreadable_changes(run, unreadable)
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
        finish_if_done(run.pk)
        return []
    return list(entry_ids)


def progress(run: ImportRun) -> dict:
    """The run's documents by state, live (the run page shows it while the run is going)."""
    return progress_of([run.pk]).get(run.pk, {})


def progress_of(run_ids) -> dict[int, dict]:
    """progress() of several runs in one query (the run log's running runs): run id -> state -> count."""
    by_run: dict[int, dict] = {}
    for run_id, state, n in LedgerEntry.objects.filter(last_run__in=run_ids).order_by().values_list(
            "last_run", "state").annotate(n=Count("pk")):
        by_run.setdefault(run_id, {})[state] = n
    return by_run


def failed_of(by_state: dict) -> int:
    """What a run counts as failed (ImportRun.failed): refused, or not known to be booked until a check."""
    return by_state.get(EntryState.FAILED, 0) + by_state.get(EntryState.NEEDS_CHECK, 0)


def finish_if_done(run_id: int, *, exact: bool = False) -> bool:
    """Finish the run when none of its documents is left to settle. O(1) per push, whatever else is in
    the ledger: while the run's count of outstanding documents (ImportRun.outstanding, counted down by the
    settles) is above zero, that one row says "not yet". At zero, or `exact` (the sweep, the checks: paths
    that move documents without counting), the run's own documents are counted, under the run's row lock
    so no settle slips between the count and its correction; a count that was off is set right."""
    run = ImportRun.objects.select_related("administration__domain").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.RUNNING or run.dispatched_at is None:
        return False  # not started, finished, or still fetching
    if run.outstanding > 0 and not exact:
        return False
    with transaction.atomic():
        ImportRun.objects.select_for_update().filter(pk=run_id).values_list("pk").first()
        # The run's own documents, through the last_run index (a state condition in SQL would read the
        # state index: every pending document of every run).
        left = sum(1 for state, by_person in LedgerEntry.objects.filter(last_run_id=run_id).values_list(
            "state", "check_by_person") if _outstanding(state, by_person))
        if left != run.outstanding:
            ImportRun.objects.filter(pk=run_id).update(outstanding=left)
    if left:
        return False  # pushes or automatic checks still to come
    status, checks = _count(run)
    run.refresh_from_db()
    return _finish(run, status, summary(run, checks=checks))


def _outstanding(state: str, check_by_person: bool) -> bool:
    """Still to settle for its run: to be pushed, being pushed, or awaiting the automatic check."""
    return state in (EntryState.NEW, EntryState.PUSHING) or (state == EntryState.NEEDS_CHECK and not check_by_person)


def _count(run: ImportRun) -> tuple[str, int]:
    """Store the run's totals from its documents' states; return the status they mean and the checks."""
    by_state = progress(run)
    booked = by_state.get(EntryState.BOOKED, 0)  # pushed, or found in Yuki by the check
    checks = by_state.get(EntryState.NEEDS_CHECK, 0)
    waiting = by_state.get(EntryState.WAITING_BUDGET, 0)
    # A journal waiting for accounts in Yuki needs a person (a mapping or an account): not a success.
    if failed_of(by_state) == 0 and not run.problems and not by_state.get(EntryState.WAITING_ACCOUNTS):
        # Documents waiting for tomorrow's budget are not a failure, but the run says they wait.
        status = RunStatus.WAITING_BUDGET if waiting else RunStatus.SUCCEEDED
    elif booked or run.unchanged or waiting:
        status = RunStatus.PARTLY_FAILED
    else:
        status = RunStatus.FAILED
    ImportRun.objects.filter(pk=run.pk).update(booked=booked, failed=failed_of(by_state), waiting=waiting)
    return status, checks


FINISHED_WITH_DOCUMENTS = (RunStatus.SUCCEEDED, RunStatus.WAITING_BUDGET, RunStatus.PARTLY_FAILED, RunStatus.FAILED)


def recount(run_id: int | None) -> None:
    """A person answered for one of a finished run's documents: the run's totals, status and result follow
    (a run is no longer "partly failed" once its last uncertain document was confirmed in Yuki)."""
    run = ImportRun.objects.select_related("administration__domain").filter(pk=run_id).first()
    if run is None or run.dry_run or run.dispatched_at is None or run.status not in FINISHED_WITH_DOCUMENTS:
        return
    status, checks = _count(run)
    run.refresh_from_db()
    changed = status != run.status
    ImportRun.objects.filter(pk=run.pk).update(status=status, result=summary(run, checks=checks))
    run.refresh_from_db()
    if changed:
        _notify(run)


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


def summary(run: ImportRun, checks: int = 0) -> str:
    parts = [ngettext("%(n)s document fetched", "%(n)s documents fetched", run.fetched) % {"n": run.fetched},
             ngettext("%(n)s booked", "%(n)s booked", run.booked) % {"n": run.booked},
             ngettext("%(n)s unchanged", "%(n)s unchanged", run.unchanged) % {"n": run.unchanged}]
    if run.failed - checks:
        parts.append(ngettext("%(n)s failed", "%(n)s failed", run.failed - checks) % {"n": run.failed - checks})
    # Every document of the administration held for a person is named, also one this run only saw again
    # (so a run that finds one still held never reads as if all was well); checks of this run that the
    # machine has still to make keep the short wording.
    held = list(LedgerEntry.objects.filter(administration_id=run.administration_id, state=EntryState.NEEDS_CHECK,
                                           check_by_person=True).values_list("kind", "last_run_id"))
    for kind in DocumentKind:
        if n := sum(1 for held_kind, _run in held if held_kind == kind):
            parts.append(held_for_a_person(kind, n))
    if (automatic := checks - sum(1 for _kind, run_id in held if run_id == run.pk)) > 0:
        parts.append(ngettext("%(n)s needs a check", "%(n)s need a check", automatic) % {"n": automatic})
    if run.waiting:
        parts.append(ngettext("%(n)s waits for tomorrow's Yuki budget", "%(n)s wait for tomorrow's Yuki budget",
                              run.waiting) % {"n": run.waiting})
    if accounts := LedgerEntry.objects.filter(last_run_id=run.pk, state=EntryState.WAITING_ACCOUNTS).count():
        parts.append(ngettext("%(n)s waits for ledger accounts in Yuki", "%(n)s wait for ledger accounts in Yuki",
                              accounts) % {"n": accounts})
    if run.waiting_at_source:
        parts.append(ngettext("%(n)s waits at the payroll source", "%(n)s wait at the payroll source",
                              run.waiting_at_source) % {"n": run.waiting_at_source})
    text = ", ".join(parts) + "."
    if run.problems:
        text += " " + _("Not fetched: %(problems)s") % {"problems": " ".join(run.problems)}
    return text


def result_in_active_language(run: ImportRun) -> str:
    """The finished run's result in the active language. The stored result (ImportRun.result) is written once,
    in the language the run ran in (the portal's); a reader in another language (`import_now --language en`)
    gets the same counts in their own words. A result that is a single reason (a skip, a failed fetch)
    stays as stored."""
    if run.dry_run and run.status in (RunStatus.SUCCEEDED, RunStatus.PARTLY_FAILED):
        return dry_run_summary(run)
    if not run.dry_run and run.dispatched_at is not None and run.status in FINISHED_WITH_DOCUMENTS:
        return summary(run, checks=progress(run).get(EntryState.NEEDS_CHECK, 0))
    return run.result


def held_for_a_person(kind: str, n: int) -> str:
    """'1 journaalpost moet nog worden gecontroleerd': n documents of this kind wait for a person's check."""
    words = {
        DocumentKind.JOURNAL: ngettext("%(n)s journal entry still needs to be checked",
                                       "%(n)s journal entries still need to be checked", n),
        DocumentKind.PAYSLIP: ngettext("%(n)s payslip still needs to be checked",
                                       "%(n)s payslips still need to be checked", n),
        DocumentKind.WAGE_TAX_RETURN: ngettext("%(n)s wage tax return still needs to be checked",
                                               "%(n)s wage tax returns still need to be checked", n),
        DocumentKind.SEPA: ngettext("%(n)s SEPA file still needs to be checked",
                                    "%(n)s SEPA files still need to be checked", n),
        DocumentKind.ANNUAL_DOCUMENT: ngettext("%(n)s annual document still needs to be checked",
                                               "%(n)s annual documents still need to be checked", n),
        DocumentKind.PETTY_CASH: ngettext("%(n)s petty cash statement still needs to be checked",
                                          "%(n)s petty cash statements still need to be checked", n),
    }
    return words[DocumentKind(kind)] % {"n": n}


def _finish(run: ImportRun, status: str, result: str) -> bool:
    done = ImportRun.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=status, result=result, finished_at=timezone.now())
    if done:
        run.refresh_from_db()
        _notify(run)
    return bool(done)


def _notify_unreadable_changes(run: ImportRun, entries: list[LedgerEntry]) -> None:
    """Booked documents the source delivered again, changed in a way the portal cannot compare by meaning
    (portal.imports.ledger._show_unreadable_change): one notice per administration, e-mailed when it opens,
    linking to the (first) document, whose page says what to do."""
    administration = run.administration
    key = f"unreadable-change-{administration.pk}"
    opened = not Notice.objects.filter(key=key, resolved_at__isnull=True).exists()
    notifications.notify(
        title=ngettext("%(name)s: a booked document came back changed and could not be compared",
                       "%(name)s: %(n)s booked documents came back changed and could not be compared",
                       len(entries)) % {"name": administration.name, "n": len(entries)},
        message=_("%(titles)s: the payroll source delivered these again with content the portal cannot compare "
                  "with what was booked, so they were not booked again. Compare them in the payroll source and "
                  "in Yuki, and book a correction yourself if there is one.")
        % {"titles": ", ".join(f"{e.title} ({e.period})" for e in entries[:10])},
        key=key, level=NoticeLevel.WARNING, administration=administration, run=run,
        link=reverse("portal:document", args=[entries[0].pk]), email=opened)


def _notify(run: ImportRun) -> None:
    """One notice per failing run (not per document); a second failure in a row says so."""
    if run.dry_run:
        return
    key = f"import-failed-{run.administration_id}"  # one open notice per administration
    if run.status in (RunStatus.FAILED, RunStatus.PARTLY_FAILED):
        administration = run.administration
        notifications.notify(
            title=_("Import of %(name)s %(status)s") % {"name": administration.name,
                                                        "status": run.get_status_display().lower()},
            message=_("%(domain)s / %(name)s: %(result)s") % {"domain": administration.domain.name,
                                                             "name": administration.name, "result": run.result},
            key=key, administration=administration, run=run, link=reverse("portal:run", args=[run.pk]))
    elif run.status in (RunStatus.SUCCEEDED, RunStatus.WAITING_BUDGET):
        notifications.resolve(key)


def _dry_run(run: ImportRun, documents) -> None:
    """Show what would be booked, without touching the ledger or Yuki."""
    preview, unchanged = [], 0
    for document in documents:
        existing = LedgerEntry.objects.filter(
            administration=run.administration, source=document.source, kind=document.kind.value,
            source_id=document.source_id, period=document.period.key).first()
        if existing and existing.state == EntryState.BOOKED and (
                existing.content_hash == document.content_hash or existing.fingerprint_outdated
                or not ledger.comparable(existing.fingerprint, document.fingerprint.facts)):
            # The same, the baseline of an outdated fingerprint, or a change a person is shown: none is booked.
            unchanged += 1
            continue
        if existing and existing.state in (EntryState.PUSHING, EntryState.NEEDS_CHECK):
            continue  # being booked or checked right now: not something this import would send
        candidate = LedgerEntry(administration=run.administration, source=document.source,
                                kind=document.kind.value, source_id=document.source_id, period=document.period.key,
                                **ledger.payload_of(document))
        if existing and existing.state == EntryState.BOOKED:
            candidate.version = existing.version + 1
            candidate.booked_journal_lines = existing.booked_journal_lines
        preview.append(booking.preview(candidate))
    ImportRun.objects.filter(pk=run.pk).update(fetched=len(documents), unchanged=unchanged, dry_run_preview=preview)
    run.refresh_from_db()
    _finish(run, RunStatus.PARTLY_FAILED if run.problems else RunStatus.SUCCEEDED, dry_run_summary(run))


def dry_run_summary(run: ImportRun) -> str:
    """What a dry run found, from its stored preview and counts."""
    n = len(run.dry_run_preview)
    text = ngettext(
        "Dry run: %(n)s document would be booked, %(u)s unchanged; nothing was sent to Yuki.",
        "Dry run: %(n)s documents would be booked, %(u)s unchanged; nothing was sent to Yuki.",
        n) % {"n": n, "u": run.unchanged}
    if run.waiting_at_source:
        text += " " + ngettext("%(n)s waits at the payroll source.", "%(n)s wait at the payroll source.",
                               run.waiting_at_source) % {"n": run.waiting_at_source}
    if run.problems:
        text += " " + _("Not fetched: %(problems)s") % {"problems": " ".join(run.problems)}
    return text
