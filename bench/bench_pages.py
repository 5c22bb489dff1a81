"""Benchmark: the list pages at a large portal (not a timed test).

Seeds a bench-only PostgreSQL database (default: 20 domains, 1000 administrations, 20,000 runs,
100,000 ledger entries, 300,000 events, 1,000 of them waiting for a person's check) with bulk inserts,
then requests every list page as a portal administrator and as a domain backoffice user (Django's test
Client, in this process) and prints per page: median and p95 time, response size and SQL statements.

    .venv/bin/python bench/bench_pages.py --seed              # seed (a few minutes), then measure
    .venv/bin/python bench/bench_pages.py                     # measure the seeded database again
    .venv/bin/python bench/bench_pages.py --code ../other-checkout   # another checkout's pages

`--code` runs the pages of another checkout (e.g. the main branch) against the same database, so a
before/after comparison is one sitting on one machine. Times are wall-clock on a shared machine:
compare ratios measured side by side, not absolute figures across days.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_pages_p14p")
    parser.add_argument("--cache", default="rediscache://127.0.0.1:6379/9", help="CACHE_URL for the measured pages")
    parser.add_argument("--code", default=str(HERE), help="the checkout whose pages are measured")
    parser.add_argument("--seed", action="store_true", help="drop, create, migrate and fill the database")
    parser.add_argument("--domains", type=int, default=20)
    parser.add_argument("--administrations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--to-check", type=int, default=1_000, help="entries waiting for a person's check")
    parser.add_argument("--busy-run", type=int, default=2_000,
                        help="documents of one run (and employers assigned to one domain: a quarter as many)")
    parser.add_argument("--busy-events", type=int, default=1_000, help="events of one document")
    parser.add_argument("--content-kib", type=int, default=30, help="stored PDF size of an unbooked entry")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page (after one warm-up)")
    parser.add_argument("--label", default="", help="a name for this checkout in the output")
    return parser.parse_args()


def setup_django(args) -> None:
    sys.path.insert(0, args.code)
    os.chdir(args.code)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "payrollsync.settings_test",
        "DATABASE_URL": args.database,
        "CACHE_URL": args.cache,
        "ALLOWED_HOSTS": "testserver,localhost",
    })
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_rows(model, objects) -> list[int]:
    """Insert model instances with COPY (what bulk_create would write: each field's pre_save and database
    value, so auto_now and encrypted fields come out the same), returning their new primary keys in order.
    A million ledger entries take about a minute this way, against several with bulk_create."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                       [len(objects)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
            for pk, obj in zip(ids, objects, strict=True):
                copy.write_row([pk] + [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for pk, obj in zip(ids, objects, strict=True):
        obj.pk = pk
    return ids


def seed(args) -> None:
    """Bulk inserts only: no signals, no audit entries, no encryption per row beyond the secrets."""
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from integrations.loket.models import LoketLink
    from integrations.nmbrs.models import NmbrsCredentials, NmbrsLink
    from portal.models import (
        Administration,
        AuditLogEntry,
        Domain,
        DomainMembership,
        EntryState,
        ImportRun,
        ImportSettings,
        LedgerEntry,
        PortalMembership,
        PortalSettings,
    )

    rng = random.Random(14)
    started = time.perf_counter()
    now = timezone.now()
    PortalSettings.load()
    User = get_user_model()
    admin = User.objects.create_user("bench-admin", password="x")
    PortalMembership.objects.create(user=admin, role="administrator")
    backoffice = User.objects.create_user("bench-domain", password="x")
    others = User.objects.bulk_create([User(username=f"user-{n:04d}") for n in range(300)])

    domains = Domain.objects.bulk_create([
        Domain(name=f"Domein {d:03d} B.V.", yuki_domain_id=f"bench-dom-{d}", payroll_link_active=True)
        for d in range(args.domains)])
    DomainMembership.objects.bulk_create(
        [DomainMembership(user=backoffice, domain=domains[0])]
        + [DomainMembership(user=u, domain=domains[n % len(domains)]) for n, u in enumerate(others)])

    # One in two administrations has its own import settings; the Nmbrs ones (one in three) their own credentials.
    own_settings = ImportSettings.objects.bulk_create(
        [ImportSettings(auto_import=True) for _ in range(args.administrations // 2)])
    nmbrs_count = args.administrations // 3
    credentials = NmbrsCredentials.objects.bulk_create([
        NmbrsCredentials(login_email=f"loon{n}@bench.nl", api_token=f"token-{n}", tenant_key="bench",
                         status="authorised") for n in range(nmbrs_count)])
    administrations = []
    for n in range(args.administrations):
        nmbrs = n % 3 == 0 and n // 3 < nmbrs_count
        administrations.append(Administration(
            domain=domains[n % len(domains)], name=f"Administratie {n:04d}", yuki_administration_id=f"adm-{n}",
            yuki_access_key=f"access-key-{n:04d}-" + "x" * 20, source="nmbrs" if nmbrs else "loket",
            relation_code=str(60000 + n), wage_tax_number="123456782L01",
            use_portal_import_settings=n % 2 == 1, own_import_settings=None if n % 2 else own_settings[n // 2]))
    administrations = Administration.objects.bulk_create(administrations, batch_size=1000)
    # Bulk creation sends no post_save: each integration's link row (integrations/<source>/apps.py) is made here.
    LoketLink.objects.bulk_create([LoketLink(administration=a) for a in administrations], batch_size=1000)
    NmbrsLink.objects.bulk_create([
        NmbrsLink(administration=a, use_portal_credentials=False,
                  own_credentials=credentials[n // 3] if a.source == "nmbrs" else None,
                  company_id=70000 + n if a.source == "nmbrs" else None)
        for n, a in enumerate(administrations)], batch_size=1000)
    print(f"  administrations ({time.perf_counter() - started:.1f} s)", flush=True)

    statuses = ["succeeded"] * 8 + ["failed", "partly_failed"]
    runs = []
    for n in range(args.runs):
        administration = administrations[n % len(administrations)]
        at = now - timedelta(hours=n * 0.5)
        runs.append(ImportRun(administration=administration, source=administration.source, trigger="scheduled",
                              status=rng.choice(statuses), result="5 opgehaald, 5 geboekt", started_at=at,
                              finished_at=at + timedelta(minutes=2), fetched=5, booked=5, yuki_calls=6,
                              periods=["2026-10"]))
    copy_rows(ImportRun, runs)
    ImportRun.objects.update(created_at=now)  # auto_now_add: spread them out below
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_importrun SET created_at = started_at")
    print(f"  runs ({time.perf_counter() - started:.1f} s)", flush=True)

    big = b"%PDF-1.4\n" + bytes(rng.getrandbits(8) for _ in range(args.content_kib * 1024))
    small = b"%PDF-1.4\n" + b"x" * 2048
    to_check = set(rng.sample(range(args.entries), args.to_check))
    failed = set(rng.sample(range(args.entries), args.entries // 50)) - to_check
    batch = []
    entry_ids = []
    for n in range(args.entries):
        if len(batch) == 50_000:
            entry_ids += copy_rows(LedgerEntry, batch)
            batch = []
        administration_index = n % len(administrations)
        administration = administrations[administration_index]
        state = EntryState.NEEDS_CHECK if n in to_check else EntryState.FAILED if n in failed else EntryState.BOOKED
        batch.append(LedgerEntry(
            administration=administration, source=administration.source, kind="payslip",
            source_id=f"slip-{n}", period=f"2026-{1 + n % 12:02d}", title=f"Loonstrook medewerker {n}",
            file_name=f"loonstrook-{n}.pdf", content_hash=f"{n:064d}", state=state,
            content=big if n in to_check else small if state == EntryState.FAILED else None,
            check_by_person=n in to_check and n % 10 != 0, last_error="Yuki gaf geen antwoord" if state != "booked" else "",
            last_run=runs[(n * 7) % len(runs)], booked_hash=f"{n:064d}" if state == "booked" else ""))
    entry_ids += copy_rows(LedgerEntry, batch)
    print(f"  ledger entries ({time.perf_counter() - started:.1f} s)", flush=True)

    # Events through COPY: the largest table.
    with connection.cursor() as cursor:
        with cursor.copy("COPY portal_ledgerevent (entry_id, run_id, at, kind, version, message, yuki_reference) "
                         "FROM STDIN") as copy:
            for n in range(args.events):
                entry = entry_ids[n % len(entry_ids)]
                copy.write_row((entry, runs[(n * 13) % len(runs)].pk, now - timedelta(minutes=n),
                                ("fetched", "claimed", "booked")[n % 3], 1, "", ""))
    print(f"  events ({time.perf_counter() - started:.1f} s)", flush=True)
    seed_busy(args, administrations[0], now)
    print(f"  a busy run, a busy document, assigned employers ({time.perf_counter() - started:.1f} s)", flush=True)

    AuditLogEntry.objects.bulk_create([
        AuditLogEntry(user=admin, username="bench-admin", action="changed", object_type="administration",
                      object_id=str(n), object_repr=f"Administratie {n % 1000:04d}",
                      changes={"name": {"old": "a", "new": "b"}}) for n in range(5000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)


BUSY_RUN = "bench: a run of many documents"
BUSY_DOCUMENT = "bench-busy-document"


def seed_busy(args, administration, now) -> None:
    """What makes a single page long, in the first administration (both users see it): a run of
    `--busy-run` documents, a document with `--busy-events` events (sent again and again), and a quarter
    as many employers as documents assigned to its domain."""
    from datetime import timedelta

    from django.db import connection

    from portal.models import AssignedEmployer, EntryState, ImportRun, LedgerEntry

    run = ImportRun.objects.create(administration=administration, source=administration.source, trigger="manual",
                                   status="succeeded", result=BUSY_RUN, started_at=now, finished_at=now,
                                   fetched=args.busy_run, booked=args.busy_run, periods=["2026-11"])
    entries = LedgerEntry.objects.bulk_create([LedgerEntry(
        administration=administration, source=administration.source, kind="payslip", source_id=f"busy-{n}",
        period="2026-11", title=f"Loonstrook drukke import {n:05d}", file_name=f"busy-{n}.pdf",
        content_hash=f"{n:064d}", state=EntryState.BOOKED, booked_hash=f"{n:064d}", last_run=run)
        for n in range(args.busy_run)], batch_size=5000)
    document = LedgerEntry.objects.create(
        administration=administration, source=administration.source, kind="payslip", source_id=BUSY_DOCUMENT,
        period="2026-11", title="Loonstrook vaak verstuurd", file_name="busy.pdf", content_hash="b" * 64,
        state=EntryState.FAILED, last_error="Yuki gaf geen antwoord", last_run=run)
    with connection.cursor() as cursor:
        with cursor.copy("COPY portal_ledgerevent (entry_id, run_id, at, kind, version, message, yuki_reference) "
                         "FROM STDIN") as copy:
            for n, entry in enumerate(entries):
                copy.write_row((entry.pk, run.pk, now + timedelta(seconds=n), "fetched", 1, "", ""))
                copy.write_row((entry.pk, run.pk, now + timedelta(seconds=n, milliseconds=1), "booked", 1, "", ""))
            for n in range(args.busy_events):
                copy.write_row((document.pk, run.pk, now - timedelta(minutes=args.busy_events - n),
                                ("claimed", "failed")[n % 2], 1, "Yuki gaf geen antwoord" if n % 2 else "", ""))
    AssignedEmployer.objects.bulk_create([AssignedEmployer(
        domain=administration.domain, source=administration.source, number=str(900000 + n),
        wage_tax_number=f"{800000000 + n:09d}L01", name=f"Werkgever {n:04d} B.V.") for n in range(args.busy_run // 4)])


def pages(role: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    from portal.models import Administration, Domain, ImportRun, LedgerEntry

    domain = Domain.objects.order_by("name").first()
    administration = Administration.objects.filter(domain=domain).order_by("name").first()
    run = ImportRun.objects.filter(administration=administration).exclude(result=BUSY_RUN).order_by(
        "-created_at").first()
    busy_run = ImportRun.objects.filter(result=BUSY_RUN).first()
    busy_document = LedgerEntry.objects.filter(source_id=BUSY_DOCUMENT).first()
    listed = [
        ("dashboard", reverse("portal:dashboard")),
        ("te controleren", reverse("portal:needs-check")),
        ("domain", reverse("portal:domain", args=[domain.pk])),
        ("run log", reverse("portal:runs")),
        ("run log, filtered", reverse("portal:runs") + "?status=failed"),
        ("administration", reverse("portal:administration", args=[administration.pk])),
        ("run", reverse("portal:run", args=[run.pk])),
        ("annual documents", reverse("portal:annual-documents")),
    ]
    if busy_run is not None:  # seeded by this version of the bench
        listed += [("run, busy", reverse("portal:run", args=[busy_run.pk])),
                   ("document, busy", reverse("portal:document", args=[busy_document.pk]))]
    if role == "admin":
        listed += [("audit log", reverse("portal:audit")), ("users", reverse("portal:users")),
                   ("employers", reverse("portal:domain-employers", args=[domain.pk]))]
    return listed


def measure(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test Client's response.templates etc.; DEBUG stays off
    label = args.label or Path(args.code).name
    User = get_user_model()
    print(f"\n== {label}: {args.repeat} requests per page (after a warm-up), ms and KiB ==")
    print(f"{'user':<9} {'page':<20} {'median':>8} {'p95':>8} {'KiB':>8} {'queries':>8} {'SQL ms':>8}")
    for role, username in (("admin", "bench-admin"), ("domain", "bench-domain")):
        client = Client()
        try:  # a portal administrator's session must have passed the second login step (portal/two_factor.py)
            from tests.support import force_login_with_second_step
        except ImportError:  # a checkout from before the second step
            client.force_login(User.objects.get(username=username))
        else:
            force_login_with_second_step(client, User.objects.get(username=username))
        for name, url in pages(role):
            response = client.get(url)  # warm-up: templates, the session, the portal settings
            assert response.status_code == 200, (name, url, response.status_code)
            times, sql_times = [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                # The database's share (Django's own timing of each statement): less of it is the machine's load.
                sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{role:<9} {name:<20} {statistics.median(times):8.1f} {p95:8.1f} "
                  f"{len(response.content) / 1024:8.1f} {len(queries.captured_queries):8d} "
                  f"{statistics.median(sql_times):8.1f}", flush=True)


def main():
    args = parse_args()
    if args.seed:
        recreate_database(args.database)
    setup_django(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.seed:
        seed(args)
    measure(args)


if __name__ == "__main__":
    main()
