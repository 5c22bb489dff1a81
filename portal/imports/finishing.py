"""A run's end: finished once none of its documents is left to settle, its totals and status from their
states, counted again when a person answers for one, and one notice when it failed."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import notifications
from portal.imports.summaries import FINISHED_WITH_DOCUMENTS, failed_of, progress, summary
from portal.models import EntryState, ImportRun, LedgerEntry, Notice, NoticeLevel, RunStatus


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
    return finish(run, status, summary(run, checks=checks))


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


def finish(run: ImportRun, status: str, result: str) -> bool:
    done = ImportRun.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=status, result=result, finished_at=timezone.now())
    if done:
        run.refresh_from_db()
        _notify(run)
    return bool(done)


def notify_unreadable_changes(run: ImportRun, entries: list[LedgerEntry]) -> None:
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
