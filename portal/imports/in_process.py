"""A run from start to finish in this process, without a worker or a broker: `import_now` without --queue.

The same engine the tasks drive (portal.tasks: run_import, push_document), driven by a loop instead: fetch
and record, push each document (a push that surely sent nothing is tried again, up to the push task's
retries, at once: the command waits for it), take up a newer version that arrived meanwhile, and finish
the run. A document whose booking is uncertain is not checked here: its check needs Yuki some minutes
later (IMPORT_RECONCILE_DELAY_SECONDS), so the workers' sweep checks it, as for any run.
"""

from __future__ import annotations

from collections import deque

from portal.imports import finishing, ledger, runs
from portal.imports.pushing import PUSH_RETRIES, Outcome, push
from portal.models import ImportRun


def run_to_end(run: ImportRun) -> ImportRun:
    """Run `run` here and return it as it ended (still queued when another import of its administration is
    running: the sweep hands it to a worker once that one is done)."""
    try:
        to_push = runs.execute(run.pk)
    except runs.AdministrationBusy:
        run.refresh_from_db()
        return run
    work = deque((entry_id, 0) for entry_id in to_push)
    while work:
        entry_id, retries = work.popleft()
        result = push(entry_id, run, final_attempt=retries >= PUSH_RETRIES)
        if result.outcome == Outcome.RETRY:
            work.append((entry_id, retries + 1))
        elif result.outcome not in (Outcome.NOT_OURS, Outcome.NEEDS_CHECK) and (
                result.settled is None or result.settled.pending) and ledger.take_up_pending(entry_id, run):
            work.append((entry_id, 0))  # a newer version arrived during this attempt
    finishing.finish_if_done(run.pk, exact=True)
    run.refresh_from_db()
    return run
