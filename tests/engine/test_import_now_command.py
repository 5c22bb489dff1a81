"""`import_now` runs the engine itself (portal.imports.in_process), not the button's view, and leaves Celery
as it found it: without --queue nothing is sent to a broker, with --queue the run is sent and not run here.
(Every option is also run against the demo data: tests/engine/test_command_matrix.py.)"""

from __future__ import annotations

import io

import pytest
from celery.app.task import Task
from django.core.management import call_command

from payrollsync.celery import app as celery_app
from portal.models import ImportRun, LedgerEntry, RunStatus, RunTrigger
from tests.engine.outcome import booked_in_yuki
from tests.engine.test_third_source import paperclip  # noqa: F401 - the third source's administration
from tests.engine.third_source import vendor


@pytest.fixture
def tasks_sent(monkeypatch, paperclip):  # noqa: F811 - the fixture above
    """No eager mode (the engine's tests switch it on: not here), and every task sent is written down."""
    sent = []

    def apply_async(task, args=None, kwargs=None, **options):
        sent.append((task.name, tuple(args or ())))

    monkeypatch.setattr(Task, "apply_async", apply_async)
    celery_app.conf.task_always_eager = False  # the paperclip fixture's eager_celery puts it back
    return sent


def test_import_now_books_here_with_the_engine_and_sends_no_task(paperclip, yuki, tasks_sent):  # noqa: F811
    out = io.StringIO()
    call_command("import_now", "--administration", paperclip.name, "--language", "en", stdout=out)

    run = ImportRun.objects.get(administration=paperclip)
    assert (run.trigger, run.status) == (RunTrigger.MANUAL, RunStatus.SUCCEEDED), run.result
    assert run.booked == 3 and len(booked_in_yuki(yuki)) == 3
    assert ": Succeeded – 3 documents fetched, 3 booked" in out.getvalue()
    assert tasks_sent == [], "nothing left this process for a worker"
    assert celery_app.conf.task_always_eager is False, "Celery as it was"

    call_command("import_now", "--administration", paperclip.name, stdout=io.StringIO())
    again = ImportRun.objects.exclude(pk=run.pk).get(administration=paperclip)
    assert (again.booked, again.unchanged) == (0, 3) and len(booked_in_yuki(yuki)) == 3, "nothing twice"


def test_import_now_queue_hands_the_run_to_the_workers(paperclip, yuki, tasks_sent):  # noqa: F811
    out = io.StringIO()
    call_command("import_now", "--queue", "--month", "2026-10", "--administration", paperclip.name, "--language",
                 "en", stdout=out)

    run = ImportRun.objects.get(administration=paperclip)
    assert tasks_sent == [("portal.tasks.run_import", (run.pk,))]
    assert (run.status, run.trigger, run.plan) == (RunStatus.QUEUED, RunTrigger.BACKFILL, {
        "payslip": [[2026, 10]], "journal": [[2026, 10]]})
    assert f"queued (run {run.pk})" in out.getvalue()
    assert vendor.OFFICE.calls == [] and not LedgerEntry.objects.exists() and booked_in_yuki(yuki) == []


def test_import_now_dry_run_books_nothing(paperclip, yuki, tasks_sent):  # noqa: F811
    out = io.StringIO()
    call_command("import_now", "--dry-run", "--administration", paperclip.name, "--language", "en", stdout=out)

    run = ImportRun.objects.get(administration=paperclip)
    assert run.dry_run and run.status == RunStatus.SUCCEEDED and len(run.dry_run_preview) == 3
    assert "would book payslip" in out.getvalue() and "would book journal entry" in out.getvalue()
    assert booked_in_yuki(yuki) == [] and tasks_sent == []
