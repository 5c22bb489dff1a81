"""Benchmark: what the beat's periodic work costs at two portal sizes with the same work due (not a test).

For each size it seeds a bench-only database with N Loket administrations (50 per domain, each assigned
to its domain, the portal's Loket access authorised) and `--per-administration` booked documents each;
all but `--due` of them already have tonight's run. Then it measures, with Django's query log and the
wall clock, at 03:00 on a fixed night (time-machine):

- the fan-out: `enqueue_due_imports()` (portal/scheduling.py due_imports), which creates the due runs;
- the sweeper: `sweep()` with those runs running and dispatched, each with its documents booked but not
  yet counted down (so the sweep finishes each: the work it is there for);
- a run's finish: `finish_if_done()` of one more run of `--per-administration` documents.

O(work due) means the same counts at both sizes. Tasks go to a Redis DB of the bench's own (--broker,
emptied); nothing consumes them.

    .venv/bin/python bench/bench_fanout.py --sizes 1000,10000 --due 100
    .venv/bin/python bench/bench_fanout.py --sizes 1000,10000 --due 100 --project ../main-before
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--project" in sys.argv:  # before anything of the project is imported
    ROOT = Path(sys.argv[sys.argv.index("--project") + 1]).resolve()
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
sys.path.insert(1, str(Path(__file__).resolve().parent))  # bench_pages.copy_rows


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="administrations, comma separated")
    parser.add_argument("--due", type=int, default=100, help="administrations without tonight's run")
    parser.add_argument("--per-administration", type=int, default=23, help="booked documents each")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_fanout")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="a Redis DB of the bench's own (emptied)")
    parser.add_argument("--project", default=str(ROOT), help="the checkout to measure (default: this one)")
    return parser.parse_args()


def seed(size: int, args, night) -> None:
    from datetime import timedelta

    from bench_pages import copy_rows
    from django.db import connection

    from portal.models import (
        Administration,
        Domain,
        EntryState,
        ImportRun,
        LedgerEntry,
        LoketConnection,
        PortalSettings,
    )
    from portal.models.connections import ConnectionStatus
    from portal.models.employers import AssignedEmployer

    portal = PortalSettings.load()
    settings = portal.import_settings
    settings.auto_import, settings.first_day, settings.last_day = True, 1, 31
    settings.save()
    portal.loket_connection = LoketConnection.objects.create(environment="sandbox", refresh_token="rt",
                                                             status=ConnectionStatus.AUTHORISED)
    portal.save()
    domains = Domain.objects.bulk_create([Domain(name=f"Domein {d:04d}", yuki_domain_id=f"fan-dom-{d}",
                                                 payroll_link_active=True) for d in range(-(-size // 50))])
    AssignedEmployer.objects.bulk_create([AssignedEmployer(
        domain=domains[n // 50], source="loket", number=str(60000 + n), wage_tax_number=f"{800000000 + n:09d}L01",
        name=f"Werkgever {n}") for n in range(size)], batch_size=5000)
    administrations = Administration.objects.bulk_create([Administration(
        domain=domains[n // 50], name=f"Administratie {n:05d}", yuki_administration_id=f"adm-{n}",
        yuki_access_key=f"key-{n:05d}", source="loket", loket_client_number=str(60000 + n),
        wage_tax_number=f"{800000000 + n:09d}L01") for n in range(size)], batch_size=5000)
    slot = f"loket:{night.date().isoformat()}"
    finished = night - timedelta(hours=1)
    # Every administration has last night's run; all but the due ones also tonight's.
    runs = [ImportRun(administration=a, source="loket", trigger="scheduled", slot=f"loket:{(night - timedelta(days=1)).date()}",
                      status="succeeded", started_at=finished - timedelta(days=1), finished_at=finished - timedelta(days=1),
                      dispatched_at=finished - timedelta(days=1)) for a in administrations]
    runs += [ImportRun(administration=a, source="loket", trigger="scheduled", slot=slot, status="succeeded",
                       started_at=finished, finished_at=finished, dispatched_at=finished)
             for a in administrations[args.due:]]
    copy_rows(ImportRun, runs)
    entries = [LedgerEntry(administration=run.administration, source="loket", kind="payslip",
                           source_id=f"slip-{run.pk}-{k}", period="2026-11", title=f"Loonstrook {k}",
                           file_name=f"slip-{k}.pdf", content_hash=f"{k:064d}", state=EntryState.BOOKED,
                           booked_hash=f"{k:064d}", last_run=run)
               for run in runs for k in range(args.per_administration)]
    for start in range(0, len(entries), 50_000):
        copy_rows(LedgerEntry, entries[start:start + 50_000])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str, work) -> tuple[int, float, object]:
    """Statements counted by an execute wrapper (Django's query log keeps only the last 9,000)."""
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = work()
        elapsed = (time.perf_counter() - started) * 1000
    print(f"  {label:<48} {count:6d} queries {elapsed:9.1f} ms   ({result})", flush=True)
    return count, elapsed, result


def main():
    args = parse_args()
    os.environ.update({"DJANGO_SETTINGS_MODULE": "payrollsync.settings_test", "DATABASE_URL": args.database,
                       "CELERY_BROKER_URL": args.broker, "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import redis
    import time_machine
    from bench_import import recreate_database
    from django.core.management import call_command
    from django.db import connection

    from portal import tasks
    from portal.imports import runs as run_engine
    from portal.models import EntryState, ImportRun, LedgerEntry

    night = datetime(2026, 11, 24, 3, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    print(f"checkout: {ROOT}  due: {args.due}  documents per administration: {args.per_administration}")
    for size in (int(s) for s in args.sizes.split(",")):
        connection.close()
        recreate_database(args.database)
        call_command("migrate", verbosity=0)
        redis.Redis.from_url(args.broker).flushdb()
        started = time.perf_counter()
        seed(size, args, night)
        print(f"{size} administrations, {LedgerEntry.objects.count()} ledger entries, "
              f"{ImportRun.objects.count()} runs (seeded in {time.perf_counter() - started:.0f} s)", flush=True)
        with time_machine.travel(night, tick=True):
            measure("fan-out: enqueue_due_imports()", tasks.enqueue_due_imports)
            measure("fan-out again (nothing due)", tasks.enqueue_due_imports)
            due = list(ImportRun.objects.filter(slot=f"loket:{night.date()}", status="queued"))
            for run in due:  # fetched and dispatched, its documents booked, the count not yet down
                ImportRun.objects.filter(pk=run.pk).update(status="running", started_at=night,
                                                           dispatched_at=night, outstanding=1)
                LedgerEntry.objects.bulk_create([LedgerEntry(
                    administration_id=run.administration_id, source="loket", kind="payslip",
                    source_id=f"due-{run.pk}-{k}", period="2026-11", title=f"Loonstrook {k}", file_name="x.pdf",
                    content_hash=f"{k:064d}", state=EntryState.BOOKED, booked_hash=f"{k:064d}", last_run=run)
                    for k in range(args.per_administration)])
        with time_machine.travel(night + timedelta(minutes=30), tick=True):
            measure(f"sweep() with {len(due)} runs to finish", tasks.sweep)
            measure("sweep() again (nothing to do)", tasks.sweep)
            run = due[0]
            run = ImportRun.objects.create(administration_id=run.administration_id, source="loket",
                                           trigger="manual", status="running", started_at=night, dispatched_at=night)
            LedgerEntry.objects.filter(last_run_id=due[0].pk).update(last_run=run)
            measure("a run's finish: finish_if_done(exact=True)",
                    lambda run=run: run_engine.finish_if_done(run.pk, exact=True))
        print(f"  runs by status: {dict(ImportRun.objects.values_list('status').annotate(n=django.db.models.Count('pk')))}")
    redis.Redis.from_url(args.broker).flushdb()


if __name__ == "__main__":
    main()
