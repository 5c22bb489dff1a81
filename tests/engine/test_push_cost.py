"""What one push costs the database, and the run's count of documents left.

A booked document costs at most PUSH_STATEMENTS SQL statements (claim with its event, returning the
entry to send with its administration and domain; the call budget; settle with its event and the run's
count), plus one read of the stored Yuki
session the first time a worker process uses it (portal/yuki_store.py remembers it): asserted per push
so it cannot creep back. A run finishes from its own counter (ImportRun.outstanding), O(1) per push,
and the counter stays right across crashes, takeovers and checks, or is set right where it cannot be.
"""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from portal import tasks
from portal.imports import finishing, leases, runs
from portal.models import EntryState, ImportRun, LedgerEntry, RunStatus, RunTrigger, YukiCallCount
from portal.tasks import sweep
from portal.yuki_store import forget_sessions
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_nmbrs import PLAN

PUSH_STATEMENTS = 3
# A journal's accounts are checked before it is sent (portal/account_check.py): the administration's
# mapping is read, and the chart's call counted once a day (then cached).
JOURNAL_CHECK_STATEMENTS = 2


def dispatched_run(administration) -> tuple[ImportRun, list[int]]:
    """A run fetched and dispatched, its pushes not sent yet (the test sends them one by one)."""
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=PLAN)
    to_push = runs.execute(run.pk)
    run.refresh_from_db()
    return run, to_push


def statements_of(entry_id, run_id) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        tasks.push_document.apply(args=(entry_id, run_id))
    return [query["sql"] for query in queries.captured_queries]


def test_a_booked_document_costs_at_most_three_statements_and_the_run_counts_down(bakkerij_nmbrs, yuki):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    assert len(to_push) >= 3
    assert run.outstanding == len(to_push), "dispatch sets the run's count"
    for n, entry_id in enumerate(to_push[:-1], start=1):
        if n == 1:
            forget_sessions()  # as in a fresh worker process: the stored session is read once
        sql = statements_of(entry_id, run.pk)
        assert LedgerEntry.objects.get(pk=entry_id).state == EntryState.BOOKED
        sessions = [s for s in sql if '"portal_yukisession"' in s]
        assert len(sessions) == (1 if n == 1 else 0), "the session is read once per process, then remembered"
        journal = LedgerEntry.objects.get(pk=entry_id).journal_lines is not None
        allowed = PUSH_STATEMENTS + (JOURNAL_CHECK_STATEMENTS if journal else 0)
        assert len(sql) - len(sessions) <= allowed, "\n".join(sql)
        assert not any('"portal_ledgerentry"."last_run_id" = ' in s for s in sql), \
            "no look at the run's other documents while some are left"
        run.refresh_from_db()
        assert run.outstanding == len(to_push) - n
        assert run.status == RunStatus.RUNNING
    sql = statements_of(to_push[-1], run.pk)  # the last one finishes the run: a few statements more, once
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert run.outstanding == 0 and run.booked == len(to_push)
    # Once a run, not per document: the totals, the documents still held per kind, the result, the notice.
    assert len(sql) <= PUSH_STATEMENTS + 13, "\n".join(sql)
    assert run.yuki_calls == YukiCallCount.objects.get().count, "every call charged to the run, none twice"
    events = LedgerEntry.objects.get(pk=to_push[0]).events.values_list("kind", "message")
    claimed = gettext("Sending to Yuki (attempt %(n)s).") % {"n": 1}
    assert ("claimed", claimed) in list(events), "the claim's event names its attempt"


def test_a_crashed_push_taken_over_by_the_sweep_still_finishes_the_run_once(bakkerij_nmbrs, yuki, settings):
    settings.IMPORT_RECONCILE_DELAY_SECONDS = 0
    run, to_push = dispatched_run(bakkerij_nmbrs)
    upload = next(pk for pk in to_push if LedgerEntry.objects.get(pk=pk).journal_lines is None)
    # The worker died after claiming: the entry stays `pushing`, its settle never comes.
    assert leases.claim_for_push(upload, run) is not None
    for entry_id in to_push:
        if entry_id != upload:
            tasks.push_document.apply(args=(entry_id, run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.outstanding == 1, "the crashed push is still awaited"

    sweep()  # within the lease: nothing moves
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS + 1)):
        sweep()  # expired: checked in Yuki (absent: sent again) and the run finishes
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert run.outstanding == 0
    assert set(fetched_entries(administration=bakkerij_nmbrs).values_list("state", flat=True)) == {EntryState.BOOKED}
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == len(to_push), "nothing lost, nothing twice"


def test_a_retried_push_is_counted_once(bakkerij_nmbrs, yuki):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    token = leases.claim_for_push(to_push[0], run).token
    assert not leases.settle(to_push[0], "not-the-lease", EntryState.BOOKED, run, "", "booked"), \
        "a settle without the lease changes nothing"
    # Surely not sent: back to new, still this run's (not counted down), then booked by the retry.
    assert leases.settle(to_push[0], token, EntryState.NEW, run, "retry", "failed")
    run.refresh_from_db()
    assert run.outstanding == len(to_push)
    for entry_id in to_push:
        tasks.push_document.apply(args=(entry_id, run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.outstanding == 0


def test_a_count_that_is_off_never_finishes_a_run_early_nor_keeps_it_running(bakkerij_nmbrs, yuki):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    # Too low (say, a person's answer put a document back without counting it): the run looks at its
    # documents, does not finish, and sets its count right.
    ImportRun.objects.filter(pk=run.pk).update(outstanding=0)
    assert not finishing.finish_if_done(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.outstanding == len(to_push)
    # While it is above zero a push's finish check reads the run's row and nothing else.
    with CaptureQueriesContext(connection) as queries:
        assert not finishing.finish_if_done(run.pk)
    assert len(queries) == 1
    for entry_id in to_push:
        tasks.push_document.apply(args=(entry_id, run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED

    # Too high (a document settled by a path that does not count): the sweep's exact look finishes it.
    later = runs.create_run(bakkerij_nmbrs, trigger=RunTrigger.MANUAL, plan=PLAN)
    ImportRun.objects.filter(pk=later.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(),
                                                 dispatched_at=timezone.now(), outstanding=5)
    assert not finishing.finish_if_done(later.pk), "the counter says: not yet"
    sweep()
    later.refresh_from_db()
    assert later.status == RunStatus.SUCCEEDED and later.outstanding == 0
