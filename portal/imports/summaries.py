"""A run in words and counts: its documents by state, its result as a sentence (stored once, and again in
a reader's language), and what waits for a person."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from connectors import kinds
from portal.models import EntryState, ImportRun, LedgerEntry, RunStatus


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


FINISHED_WITH_DOCUMENTS = (RunStatus.SUCCEEDED, RunStatus.WAITING_BUDGET, RunStatus.PARTLY_FAILED, RunStatus.FAILED)


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
    for kind in kinds.all_kinds():
        if n := sum(1 for held_kind, _run in held if held_kind == kind.key):
            parts.append(held_for_a_person(kind.key, n))
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
    return kinds.get(kind).held % {"n": n}


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
