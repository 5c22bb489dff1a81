"""Benchmark: one night's import for many administrations, against the sandboxes (not a timed test).

Generated employers with N employees each book into Yuki: Loket (default: a payslip per employee, a
journal and the accepted wage tax return, through the portal's OAuth connection) or Nmbrs (one
payslip PDF per run). Every vendor call gets an added latency. A real Celery worker (prefork,
--concurrency C) on Redis and PostgreSQL does the work, as in production. Prints, per booked document:
wall time against the lower bound (vendor calls x latency / concurrency), the worker's CPU, the SQL
statements its processes sent (bench/worker_shim.py counts them) and the transactions and new
PostgreSQL connections the bench database saw (pg_stat_database), Yuki calls and Authenticates per
access key, and the largest worker process's peak memory. `--source nmbrs-rest`: Nmbrs' REST API (a payslip
PDF per employee, the journal, SEPA and the wage tax return, each a document task polled until ready;
bench/nmbrs_rest_bench.py says how its lower bound counts the polls).

The bench has a database and Redis DB of its own (--database, --broker: dropped and emptied first),
never another's data. --project measures another checkout (e.g. a worktree of main) with this script:

    .venv/bin/python bench/bench_import.py --administrations 1000 --employees 20 --latency 0.1 --concurrency 8
    .venv/bin/python bench/bench_import.py --administrations 200 --project ../main-before
    .venv/bin/python bench/bench_import.py --source nmbrs-rest --administrations 1000 --employees 20
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--project" in sys.argv:  # before anything of the project is imported
    ROOT = Path(sys.argv[sys.argv.index("--project") + 1]).resolve()
sys.path.insert(0, str(ROOT))
# Celery's Django fixup puts the working directory first on sys.path: from here on it must be the checkout
# measured, or the simulators this process serves would be the working directory's.
os.chdir(ROOT)
SHIM = Path(__file__).resolve().parent / "worker_shim.py"
# Its sibling module, found also when tests import this one as bench.bench_import (tests/test_embedded_run.py).
sys.path.insert(1, str(Path(__file__).resolve().parent))
import nmbrs_rest_bench  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", choices=["loket", "nmbrs", "nmbrs-rest"], default="loket")
    parser.add_argument("--administrations", type=int, default=200)
    parser.add_argument("--employees", type=int, default=20)
    parser.add_argument("--per-domain", type=int, default=10, help="administrations per Yuki domain")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every vendor call")
    parser.add_argument("--concurrency", type=int, default=8, help="Celery worker processes")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_payrollsync",
                        help="dropped and created anew: a database of the bench's own")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="a Redis DB of the bench's own (emptied)")
    parser.add_argument("--project", default=str(ROOT), help="the checkout to measure (default: this one)")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--no-digest", action="store_true",
                        help="skip the booked documents' digest (it reads every PDF's text: minutes at 10,000)")
    parser.add_argument("--fan-out", choices=["bench", "beat"], default="bench",
                        help="bench: this process creates and queues every run after the clock starts; beat: one "
                             "enqueue_due_imports task (as the beat sends it) creates them in a worker")
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def generated_companies(count: int, employees: int):
    from sandbox.nmbrs import data

    companies = []
    for index in range(count):
        people = tuple(
            data.Employee(n, f"Medewerker {index}-{n}", data._nl_iban("INGB", f"{(index * 100 + n):010d}"),
                          Decimal("2500.00") + n * 37, "PROD") for n in range(1, employees + 1))
        companies.append(data.Company(
            60000 + index, 1000 + index, f"Bench Bedrijf {index} B.V.", 7001, f"{40000000 + index}",
            f"loon{index}@bench.nl", data._nl_iban("RABO", f"{(900000 + index):010d}"), "RABONL2U",
            f"{800000000 + index:09d}L01", employees=people))
    return companies


def generated_employers(count: int, employees: int):
    from datetime import date

    from sandbox.loket import data

    return tuple(data.Administration(
        key=f"bench-{index}", employer_name=f"Bench Werkgever {index} B.V.", client_number=60000 + index,
        wage_tax_number=f"{800000000 + index:09d}L01", description=f"Bench {index} salarisadministratie",
        cost_centres=(("KC10", "Algemeen"),),
        employees=tuple(data.Employee(1000 + n, f"Voornaam{n}", f"Bench{index}", "KC10", 280000 + 1000 * n,
                                      date(2020, 1, 1)) for n in range(1, employees + 1)))
        for index in range(count))


def connect_loket(loket_server) -> None:
    """The portal's Loket connection, through the real OAuth flow against the sandbox."""
    from integrations.loket.access import oauth, redirect_uri, store_authorisation
    from integrations.loket.models import set_portal_connection
    from portal.models import PortalSettings
    from sandbox.loket.login import log_in_at_loket

    client = oauth()
    url, _state = client.authorization_url()
    code = log_in_at_loket(url, redirect_uri=redirect_uri())["code"]
    portal = PortalSettings.load()
    set_portal_connection(portal, store_authorisation(None, client.exchange_code(code), None))


def worker_memory(pid: int) -> int:
    """Peak resident memory (VmHWM, KiB) of the worker's main process and its children, the largest."""
    peak = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for proc in [str(pid), *children]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak


def worker_cpu_so_far(pid: int) -> float:
    """CPU seconds the worker has used so far: its main process, its live pool processes and those it reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    total = 0
    for proc in [str(pid), *children]:
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if proc == str(pid):
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: pool processes it replaced
    return total / tick


def database_stats(url: str) -> dict:
    """The bench database's counters: sessions (new connections, PostgreSQL 14+) and transactions."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT sessions, xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
                           [name]).fetchone()
    return {"sessions": row[0], "transactions": row[1]}


def ledger_reads() -> tuple[int, int]:
    """Index entries and rows PostgreSQL read from the ledger table so far (over the bench's own connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = %s",
                       ["portal_ledgerentry"])
        index_entries = cursor.fetchone()[0]
        cursor.execute("SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = %s",
                       ["portal_ledgerentry"])
        rows = cursor.fetchone()[0]
    return int(index_entries), int(rows)


def worker_counts(broker: str) -> dict:
    import redis

    client = redis.Redis.from_url(broker)
    return {key: int(client.get(f"bench:{key}") or 0) for key in ("sql", "pings", "tasks")}


_ID_SEGMENT = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)(?=/|$)")


def source_calls_by_endpoint(calls: dict, source: str) -> dict:
    """The source's API calls grouped by endpoint (ids in paths replaced by {id}), to see where calls go."""
    grouped: dict[str, int] = {}
    for key, count in calls.items():
        operation = key.split(":", 1)[1]
        if source == "loket" and "/api/" not in key:
            continue  # the OAuth pages are not API calls
        if source == "nmbrs" and operation.startswith("GET"):
            continue  # WSDL downloads
        if source == "nmbrs-rest" and "/api/" not in key:
            continue  # the identity service (OAuth) is not the API
        name = _ID_SEGMENT.sub("/{id}", operation.split("/api/v2/providers/employers", 1)[-1])
        grouped[name] = grouped.get(name, 0) + count
    return dict(sorted(grouped.items(), key=lambda item: -item[1]))


def booked_digest(state) -> str:
    """One hash of everything booked into the Yuki sandbox, independent of the order it arrived in: two
    checkouts that book the same documents print the same digest. A file counts by what it says (its
    fingerprint of meaning), not its bytes: the simulated vendors stamp every file anew on each fetch."""
    import hashlib

    from connectors.kinds import file_fingerprint

    def meaning(data: bytes) -> str:
        kind = "sepa" if b"pain.001" in data[:2000] else "wage_tax_return"  # PDFs and loonaangifte alike
        return file_fingerprint(kind, data).digest

    parts = sorted(f"file|{f.administration_id}|{f.file_name}|{f.folder}|{meaning(f.data)}" for f in state.archive)
    parts += sorted(f"journal|{j.administration_id}|{hashlib.sha256(j.xml).hexdigest()}" for j in state.journals)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16] + f" ({len(parts)} items)"


def warm_loket_index(loket) -> None:
    """The Loket simulator's lookups, built before the clock starts: at 10,000 administrations building
    them took the first requests past the portal's timeout."""
    from sandbox.loket import api

    try:
        from sandbox.loket.resources import index as loket_index
    except ImportError:  # a checkout from before the simulator's resources module (--project)
        loket_index = api._index
    index, today = loket_index(), loket.state.today()
    for built in ("tax_returns", "journal_runs"):  # journal_runs: a simulator from after 6f767b9
        if hasattr(index, built):
            getattr(index, built)(today)


def set_up_administrations(args, yuki, employers, companies, source_key) -> list:
    """The portal's domains and administrations and Yuki's, in bulk (10,000 one by one took minutes). Bulk
    creation sends no post_save, so each integration's link row (integrations/<source>/apps.py makes one per
    administration) is created here, in bulk too."""
    from integrations.loket.models import LoketLink
    from integrations.nmbrs.models import NmbrsCredentials, NmbrsLink
    from integrations.nmbrs_rest.models import NmbrsRestLink
    from portal.models import Administration, Domain
    from portal.models.connections import ConnectionStatus
    from portal.models.employers import AssignedEmployer
    from sandbox.nmbrs import data as nmbrs_data
    from sandbox.yuki.data import STANDARD_GL_ACCOUNTS, SandboxAdministration, SandboxDomain

    domain_ids = [f"bench-domain-{n}" for n in range(-(-args.administrations // args.per_domain))]
    domains = Domain.objects.bulk_create([Domain(yuki_domain_id=d, name=d, payroll_link_active=True)
                                          for d in domain_ids])
    rows = []
    for index in range(args.administrations):
        domain, key, yuki_admin = domains[index // args.per_domain], f"bench-key-{index}", f"bench-admin-{index}"
        yuki.state.register(SandboxDomain(domain.yuki_domain_id, f"Bench domein {index // args.per_domain}"),
                            [SandboxAdministration(yuki_admin, f"Bench {index}", domain.yuki_domain_id,
                                                   gl_accounts=dict(STANDARD_GL_ACCOUNTS))])
        yuki.state.add_access_key(key, domain.yuki_domain_id, [yuki_admin])
        loket = args.source == "loket"
        relation_code = (str(employers[index].client_number) if loket
                         else str(companies[index].number) if args.source == "nmbrs-rest" else "")
        rows.append(Administration(domain=domain, name=f"Bench {index}", yuki_administration_id=yuki_admin,
                                   yuki_access_key=key, source=source_key, relation_code=relation_code,
                                   wage_tax_number=employers[index].wage_tax_number if loket else ""))
    administrations = Administration.objects.bulk_create(rows, batch_size=2000)
    credentials = [None] * len(administrations)
    if args.source == "loket":
        # The portal's shared Loket access reaches only employers assigned to the domain.
        AssignedEmployer.objects.bulk_create([AssignedEmployer(
            domain=domains[index // args.per_domain], source="loket", number=str(employer.client_number),
            wage_tax_number=employer.wage_tax_number, name=employer.employer_name)
            for index, employer in enumerate(employers)], batch_size=2000)
    else:
        credentials = NmbrsCredentials.objects.bulk_create([NmbrsCredentials(
            login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN, tenant_key=nmbrs_data.DEMO_DOMAIN,
            status=ConnectionStatus.AUTHORISED) for _ in administrations], batch_size=2000)
    LoketLink.objects.bulk_create([LoketLink(administration=a) for a in administrations], batch_size=2000)
    NmbrsLink.objects.bulk_create([
        NmbrsLink(administration=a, use_portal_credentials=False, own_credentials=own,
                  company_id=60000 + index if args.source == "nmbrs" else None)
        for index, (a, own) in enumerate(zip(administrations, credentials, strict=True))], batch_size=2000)
    NmbrsRestLink.objects.bulk_create([NmbrsRestLink(administration=a) for a in administrations], batch_size=2000)
    if args.source == "nmbrs-rest":
        for administration, company in zip(administrations, companies, strict=False):
            nmbrs_rest_bench.link(administration, company)
    return administrations


def main():
    args = parse_args()
    recreate_database(args.database)
    env = {"DATABASE_URL": args.database, "CELERY_BROKER_URL": args.broker, "BENCH_COUNTER_URL": args.broker,
           "DJANGO_SETTINGS_MODULE": "payrollsync.settings_test", "LOG_LEVEL": "WARNING"}
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(args.broker).flushdb()

    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone

    from integrations.loket.access import redirect_uri
    from portal.imports import runs
    from portal.models import (
        ImportRun,
        LedgerEntry,
        PortalSettings,
        RunTrigger,
    )
    from portal.scheduling import import_plan
    from portal.tasks import enqueue_due_imports, run_import
    from sandbox.loket import create_app as create_loket
    from sandbox.loket import data as loket_data
    from sandbox.nmbrs import create_app as create_nmbrs
    from sandbox.server import SandboxServer
    from sandbox.yuki import create_app as create_yuki

    yuki, nmbrs, loket = create_yuki(), create_nmbrs(), create_loket(redirect_uris=[redirect_uri()])
    yuki.state.daily_limit = 10**9  # the bench measures cost, not the limit
    companies = generated_companies(args.administrations, args.employees)
    nmbrs.state.companies.extend(companies)
    rest = nmbrs_rest_bench.create_sandbox(nmbrs.state)  # the same payroll world, through REST
    employers = generated_employers(args.administrations, args.employees)
    loket_data.ADMINISTRATIONS = loket_data.ADMINISTRATIONS + employers
    source_app, vendor_name = {"loket": (loket, "loket"), "nmbrs": (nmbrs, "nmbrs"),
                               "nmbrs-rest": (rest, "nmbrs_rest")}[args.source]
    warm_loket_index(loket)
    registry_key = nmbrs_rest_bench.SOURCE if args.source == "nmbrs-rest" else args.source
    for app, vendor in ((yuki, "yuki"), (source_app, vendor_name)):
        app.faults.add("delay", vendor=vendor, seconds=args.latency, times=0)

    with SandboxServer(yuki) as yuki_server, SandboxServer(nmbrs) as nmbrs_server, \
            SandboxServer(loket) as loket_server, SandboxServer(rest) as rest_server:
        worker_env = {**os.environ, "YUKI_BASE_URL": yuki_server.url + "/ws/",
                      "NMBRS_ENVIRONMENT": nmbrs_server.url + "/soap/v3/", "YUKI_DAILY_BUDGET": "1000000",
                      "YUKI_WSDL_CACHE_DIR": "/tmp/bench-wsdl-cache", "LOKET_ENVIRONMENT": "sandbox",
                      "LOKET_SANDBOX_URL": loket_server.url, "NMBRS_REST_ENVIRONMENT": rest_server.url}
        os.environ.update({k: worker_env[k] for k in ("YUKI_BASE_URL", "NMBRS_ENVIRONMENT")})
        settings.LOKET_ENVIRONMENT, settings.LOKET_SANDBOX_URL = "sandbox", loket_server.url
        settings.NMBRS_REST_ENVIRONMENT = rest_server.url
        if args.source == "loket":
            connect_loket(loket_server)
        if args.source == "nmbrs-rest":
            nmbrs_rest_bench.connect(rest_server.url)

        today = timezone.localdate()
        portal = PortalSettings.load()
        portal.import_settings.auto_import = True
        portal.import_settings.first_day, portal.import_settings.last_day = 1, 31  # every night (--fan-out beat)
        portal.import_settings.save()
        # What the schedule imports tonight (portal.scheduling.import_plan), for the settings just saved.
        plan = import_plan(registry_key, portal.import_settings, today)
        administrations = set_up_administrations(args, yuki, employers, companies, registry_key)

        from django.db import connection

        connection.close()  # the bench's own polling uses one connection, opened before the counters are read
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        worker = subprocess.Popen(
            [sys.executable, str(SHIM), "-A", "payrollsync", "worker", f"--concurrency={args.concurrency}",
             "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--prefetch-multiplier=1"],
            cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3)  # let the worker boot before the clock starts
            ImportRun.objects.exists()  # the bench's one connection, before the counters are read
            stats_before = database_stats(args.database)
            boot_cpu = worker_cpu_so_far(worker.pid)  # starting the worker is not the night's work
            reads_before = ledger_reads()
            started = time.perf_counter()
            if args.fan_out == "beat":
                enqueue_due_imports.delay()
            else:
                for administration in administrations:
                    run = runs.create_run(administration, trigger=RunTrigger.SCHEDULED, plan=plan,
                                          slot=f"bench:{administration.pk}")
                    run_import.delay(run.pk)
            fanned_out = None
            peak = 0
            while time.perf_counter() - started < args.timeout:
                peak = max(peak, worker_memory(worker.pid))
                if fanned_out is None and ImportRun.objects.count() >= len(administrations):
                    fanned_out = time.perf_counter() - started
                if fanned_out is not None and not ImportRun.objects.filter(status__in=["queued", "running"]).exists():
                    break
                time.sleep(0.5)
            wall = time.perf_counter() - started
        finally:
            peak = max(peak, worker_memory(worker.pid))
            worker.terminate()
            worker.wait(timeout=60)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = resource.getrusage(resource.RUSAGE_SELF)
        worker_cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime) \
            - boot_cpu
        sandbox_cpu = (own.ru_utime + own.ru_stime) - (own_before.ru_utime + own_before.ru_stime)
        time.sleep(1.5)  # PostgreSQL publishes the last sessions' statistics
        reads = ledger_reads()
        connection.close()
        stats = database_stats(args.database)
        counted = worker_counts(args.broker)

        booked = LedgerEntry.objects.filter(state="booked").count()
        statuses = dict(ImportRun.objects.values_list("status").annotate(n=Count("pk")))
        # WSDL downloads (GET, once per worker process, then from the disk cache) are not API calls.
        soap = {k: v for k, v in yuki.faults.calls.items() if not k.split(":", 1)[1].startswith("GET")}
        wsdl_downloads = sum(yuki.faults.calls.values()) - sum(soap.values())
        yuki_calls = sum(soap.values())
        if args.source in ("loket", "nmbrs-rest"):  # REST: every call under /api/ (polls too); OAuth is not
            source_calls = sum(v for k, v in source_app.faults.calls.items() if "/api/" in k)
        else:
            source_calls = sum(v for k, v in nmbrs.faults.calls.items() if not k.split(":", 1)[1].startswith("GET"))
        authenticates = sum(v for k, v in yuki.faults.calls.items() if k.endswith(":Authenticate"))
        archive, journals = len(yuki.state.archive), len(yuki.state.journals)
        lower_bound = (yuki_calls + source_calls + wsdl_downloads) * args.latency / args.concurrency
        print(f"{args.source}: administrations {args.administrations} x {args.employees} employees, "
              f"latency {args.latency}s, concurrency {args.concurrency}")
        print(f"runs by status: {statuses}")
        if unfinished := ImportRun.objects.exclude(status="succeeded").values_list("status", "result").first():
            print(f"  e.g. a run {unfinished[0]}: {unfinished[1][:300]}")
        print(f"documents booked: {booked} (Yuki holds {archive} files + {journals} journals)")
        print(f"Yuki calls: {yuki_calls}  per booked document: {yuki_calls / max(booked, 1):.3f}  "
              f"Authenticate calls: {authenticates}")
        print(f"{args.source.capitalize()} calls: {source_calls}  per booked document: "
              f"{source_calls / max(booked, 1):.3f}  per administration: {source_calls / args.administrations:.1f}")
        print(f"{args.source.capitalize()} calls by endpoint:", source_calls_by_endpoint(
            source_app.faults.calls, args.source))
        digest = "not computed (--no-digest)" if args.no_digest else booked_digest(yuki.state)
        print(f"booked documents digest: {digest} "
              "(SHA-256 over every archived file's administration, name, folder and bytes and every journal's XML)")
        source_server = {"loket": loket_server, "nmbrs": nmbrs_server, "nmbrs-rest": rest_server}[args.source]
        # Checkouts whose simulator closed every connection (HTTP/1.0) count none.
        tcp = {name: getattr(server, "connections", None) for name, server in
               (("Yuki", yuki_server), (args.source.capitalize(), source_server))}
        print("vendor TCP connections opened:", "  ".join(
            f"{name} {count} ({count / max(calls, 1):.3f} per call)" if count is not None else f"{name} (not counted)"
            for (name, count), calls in zip(tcp.items(), (yuki_calls + wsdl_downloads, source_calls), strict=True)))
        print("Yuki calls by operation:", dict(sorted((k.split(":", 1)[1], v) for k, v in soap.items())),
              f"(+ {wsdl_downloads} WSDL downloads)")
        per = max(booked, 1)
        keys = args.administrations  # one Yuki access key per administration
        print(f"Authenticates per access key: {authenticates / keys:.2f} ({keys} access keys)")
        print(f"runs created and queued ({args.fan_out}): {fanned_out or 0:.1f}s after the start")
        if args.source == "nmbrs-rest":
            bounds = nmbrs_rest_bench.lower_bounds(rest.faults.calls, yuki_calls + wsdl_downloads, args.latency,
                                                   args.concurrency)
            print(f"REST API calls: {bounds['api_calls']} = {bounds['lists']} list calls + {bounds['task_calls']} "
                  f"task calls ({bounds['polls']} of them polls, {bounds['polls'] / per:.2f} per booked document); "
                  f"polls per task: {nmbrs_rest_bench.polls_per_task(rest)}; most REST calls in flight at once: "
                  f"{rest.state.max_in_flight}")
            print(f"vendor calls (Yuki + REST, polls included) per booked document: "
                  f"{(yuki_calls + source_calls) / per:.3f}")
            print(f"wall time: {wall:.1f}s  lower bound (Yuki and REST lists one at a time per process, task "
                  f"starts and polls {bounds['threads']} at a time): {bounds['threads_bound']:.1f}s  ratio: "
                  f"{wall / max(bounds['threads_bound'], 1e-9):.2f}  (every call x latency / processes, which is "
                  f"no bound with threads: {bounds['naive']:.1f}s, ratio {wall / max(bounds['naive'], 1e-9):.2f})")
        else:
            print(f"wall time: {wall:.1f}s  lower bound: {lower_bound:.1f}s  "
                  f"ratio: {wall / max(lower_bound, 1e-9):.2f}")
        print(f"worker CPU (after its start): {worker_cpu:.1f}s  per booked document: {worker_cpu / per * 1000:.1f} ms"
              f"  (its start: {boot_cpu:.1f}s; sandboxes and bench process: {sandbox_cpu:.1f}s)")
        print(f"SQL statements (sent by Django in the worker's pool processes): {counted['sql']}  "
              f"per booked document: {counted['sql'] / per:.2f}  health-check pings: {counted['pings']} "
              f"({counted['pings'] / per:.2f} per document)  tasks: {counted['tasks']}")
        sessions = stats["sessions"] - stats_before["sessions"]
        transactions = stats["transactions"] - stats_before["transactions"]
        print(f"new PostgreSQL connections (pg_stat_database.sessions): {sessions}  per booked document: "
              f"{sessions / per:.3f}  transactions: {transactions} ({transactions / per:.2f} per document)")
        index_entries, rows = (after - before for after, before in zip(reads, reads_before, strict=True))
        print(f"ledger table reads: {index_entries} index entries, {rows} rows "
              f"({index_entries / per:.0f} and {rows / per:.0f} per booked document)")
        print(f"worker peak memory (largest process VmHWM): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
