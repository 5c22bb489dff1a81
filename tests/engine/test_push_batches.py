"""A run's pushes go out in batches (portal/tasks.py): fewer Celery tasks, each document still pushed,
retried, checked and counted on its own (a task of its own per document cost the worker more CPU than
the push itself)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import tasks
from portal.checks import LEASE_HOLDING_TASKS, hard_time_limit
from portal.imports.pushing import Outcome, PushResult
from portal.models import EntryState, ImportRun, LedgerEntry, RunStatus
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_push_cost import dispatched_run


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=25))
def test_batches_hold_every_document_once_and_are_as_even_as_can_be(entry_ids, size):
    batches = tasks.batches(entry_ids, size)
    assert sorted(sum(batches, [])) == sorted(entry_ids)
    assert all(0 < len(batch) <= size for batch in batches)
    if batches:
        assert len(batches) == -(-len(entry_ids) // size), "no more tasks than the size asks for"
        assert max(map(len, batches)) - min(map(len, batches)) <= 1


class Sent:
    """What portal.tasks publishes: (task name, args, options), while the tasks still run (eagerly)."""

    def __init__(self, monkeypatch):
        self.calls = []
        for task in (tasks.push_document, tasks.push_documents):
            real = task.apply_async

            def spy(args=None, kwargs=None, *, _real=real, _name=task.name, **options):
                self.calls.append((_name, tuple(args or ()), options))
                return _real(args, kwargs, **options)

            monkeypatch.setattr(task, "apply_async", spy)

    def of(self, name):
        return [(args, options) for task, args, options in self.calls if task == name]


@pytest.fixture
def sent(monkeypatch):
    return Sent(monkeypatch)


def test_a_run_goes_out_in_batches_and_books_every_document_once(bakkerij_nmbrs, yuki, settings, sent):
    settings.IMPORT_PUSH_BATCH_SIZE = 2
    run, to_push = dispatched_run(bakkerij_nmbrs)
    assert len(to_push) >= 3
    tasks.send_pushes(to_push, run.pk)
    batches = [list(args[0]) for args, _ in sent.of("portal.tasks.push_documents")]
    singles = [args[0] for args, _ in sent.of("portal.tasks.push_document")]
    assert len(batches) + len(singles) == -(-len(to_push) // 2)
    assert sorted(sum(batches, []) + singles) == sorted(to_push)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.booked == len(to_push) and run.outstanding == 0
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == fetched_entries().count()


def test_a_batch_delivered_again_after_a_crash_sends_nothing_twice(bakkerij_nmbrs, yuki):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    assert tasks.push_documents.apply(args=(to_push, run.pk)).get() == {Outcome.BOOKED: len(to_push)}
    # The broker hands the same batch out again (the worker died before acknowledging it).
    assert tasks.push_documents.apply(args=(to_push, run.pk)).get() == {Outcome.NOT_OURS: len(to_push)}
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == len(to_push)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.booked == len(to_push)


def test_a_document_to_try_again_leaves_its_batch_as_a_task_of_its_own(bakkerij_nmbrs, yuki, settings, sent,
                                                                       monkeypatch):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    unlucky, real_push, attempts = to_push[1], tasks.push, []

    def push(entry_id, run, *, final_attempt, **kwargs):
        if entry_id == unlucky:
            attempts.append(final_attempt)
            if len(attempts) == 1:  # as when Yuki could not be reached: nothing was sent
                LedgerEntry.objects.filter(pk=entry_id).update(state=EntryState.NEW)
                return PushResult(Outcome.RETRY, "Yuki could not be reached")
        return real_push(entry_id, run, final_attempt=final_attempt, **kwargs)

    monkeypatch.setattr(tasks, "push", push)
    outcomes = tasks.push_documents.apply(args=(to_push, run.pk)).get()
    assert outcomes == {Outcome.BOOKED: len(to_push) - 1, Outcome.RETRY: 1}, "the others did not wait for it"
    (args, options), = sent.of("portal.tasks.push_document")
    assert args == (unlucky, run.pk)
    assert options["retries"] == 1, "its first retry: three more tries at most, as a single push has"
    assert options["countdown"] == settings.IMPORT_RETRY_SECONDS
    assert attempts == [False, False]
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.booked == len(to_push)
    assert len(booked_in_yuki(yuki)) == len(to_push)


def test_a_slow_batch_hands_the_rest_to_a_new_task_before_its_time_limit(bakkerij_nmbrs, yuki, sent, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_WORK_SECONDS", 0)  # every push takes "too long"
    run, to_push = dispatched_run(bakkerij_nmbrs)
    tasks.push_documents.apply(args=(to_push, run.pk))
    handed_on = [list(args[0]) for args, _ in sent.of("portal.tasks.push_documents")]
    assert handed_on[0] == to_push[1:], "after one push the rest goes to a fresh task"
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.booked == len(to_push)
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)) == len(to_push)


def test_a_batch_holds_leases_so_its_hard_time_limit_is_checked_against_the_lease(settings):
    assert "portal.tasks.push_documents" in LEASE_HOLDING_TASKS
    assert hard_time_limit(tasks.push_documents) == settings.IMPORT_PUSH_TIME_LIMIT_SECONDS
    assert tasks.BATCH_WORK_SECONDS < tasks.push_documents.soft_time_limit


def test_a_run_with_one_document_sends_a_single_push(bakkerij_nmbrs, yuki, sent):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    tasks.send_pushes(to_push[:1], run.pk)
    assert [args for args, _ in sent.of("portal.tasks.push_document")] == [(to_push[0], run.pk)]
    assert not sent.of("portal.tasks.push_documents")
    assert LedgerEntry.objects.get(pk=to_push[0]).state == EntryState.BOOKED
    assert ImportRun.objects.get(pk=run.pk).outstanding == len(to_push) - 1


def test_a_batch_delivered_again_does_not_push_what_it_already_settled_as_failed(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="UploadDocument", times=1,
                        message="Folder does not exist")
    run, to_push = dispatched_run(bakkerij_nmbrs)
    first = tasks.push_documents.apply(args=(to_push, run.pk)).get()
    assert first == {Outcome.BOOKED: len(to_push) - 1, Outcome.FAILED: 1}
    calls = sum(yuki.app.faults.calls.values())
    # The worker died before acknowledging: the same batch again. The refused document is not sent again
    # (that is for "retry failed", a person's choice), and the run is not counted down twice.
    assert tasks.push_documents.apply(args=(to_push, run.pk)).get() == {Outcome.NOT_OURS: len(to_push)}
    assert sum(yuki.app.faults.calls.values()) == calls
    run.refresh_from_db()
    assert run.status == RunStatus.PARTLY_FAILED and run.outstanding == 0
    assert run.booked == len(to_push) - 1 and run.failed == 1


def test_a_batch_that_fails_hands_the_rest_on_at_once(bakkerij_nmbrs, yuki, sent, monkeypatch):
    run, to_push = dispatched_run(bakkerij_nmbrs)
    broken, real_push = to_push[1], tasks.push

    def push(entry_id, run, **kwargs):
        if entry_id == broken:
            raise RuntimeError("a bug after the settle")
        return real_push(entry_id, run, **kwargs)

    monkeypatch.setattr(tasks, "push", push)
    with pytest.raises(RuntimeError, match="a bug after the settle"):  # the batch still fails, and says why
        tasks.push_documents.apply(args=(to_push, run.pk))
    handed_on = [list(args[0]) for args, _ in sent.of("portal.tasks.push_documents")] + \
        [[args[0]] for args, _ in sent.of("portal.tasks.push_document")]
    assert sorted(sum(handed_on, [])) == sorted(to_push[2:]), "not left for the sweep"
    booked = set(LedgerEntry.objects.filter(state=EntryState.BOOKED).values_list("pk", flat=True))
    assert booked == set(to_push) - {broken}


def test_a_lost_database_connection_costs_one_push_a_retry_not_every_push_after_it(bakkerij_nmbrs, yuki,
                                                                                monkeypatch):
    from django.db import connection

    run, to_push = dispatched_run(bakkerij_nmbrs)
    assert len(to_push) >= 3
    retried = []
    monkeypatch.setattr(tasks.push_document, "apply_async", lambda args, **options: retried.append(args[0]))
    real_push = tasks.push

    def push(entry_id, run, **kwargs):
        if entry_id == to_push[1]:
            connection.connection.close()  # the database restarted between two pushes
        return real_push(entry_id, run, **kwargs)

    monkeypatch.setattr(tasks, "push", push)
    outcomes = tasks.push_documents.apply(args=(to_push, run.pk)).get()
    assert retried == [to_push[1]], "only the push that met the dead connection is tried again"
    assert outcomes == {Outcome.BOOKED: len(to_push) - 1, Outcome.RETRY: 1}
    assert LedgerEntry.objects.get(pk=to_push[1]).state == EntryState.NEW, "nothing sent: a plain retry"
