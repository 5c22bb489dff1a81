"""Chaos night (not a timed test): a night's import with crashes injected, judged by Yuki's own records.

Generated Loket employers (a payslip per employee, a journal entry and the wage tax return each) book
into the Yuki sandbox through real Celery workers (prefork) on a private broker (a redis-server of its
own on a free port, no persistence) and a bench-only PostgreSQL database. While the night runs, crash
points of the kinds seen in production are injected at random moments:

  kill_pool_child   SIGKILL of a pool process (a push cut off anywhere, also mid-call to Yuki)
  kill_worker       SIGKILL of a worker's main process (its pool processes are orphaned)
  redis_restart     the broker restarted with its data lost (queued and unacknowledged tasks gone)
  pg_terminate      every PostgreSQL connection to the bench database ended (pg_terminate_backend)
  second_worker     a second worker started for a while (two workers take the same queue)
  yuki_drop_before  Yuki's connection dropped before Yuki handled the call
  yuki_drop_after   Yuki handled the call (booked!), then the connection dropped without an answer
  yuki_http_500     Yuki answered HTTP 500 without handling the call
  yuki_slow         Yuki answered after the client's timeout (and booked)

PostgreSQL itself is not restarted: the server is shared with other users of this machine; ending every
connection of the bench database is what a restart does to the portal's processes.

The bench plays the production supervisor: a worker whose main process exits (killed by us, or on its
own: the kombu crash after a Redis restart) is started again after 1 s, like docker-compose's
`restart: unless-stopped`; every exit is counted with its reason. It also plays beat, faster: the sweeper
(portal.tasks.sweep) every --sweep-every seconds instead of every 2 minutes, so a night settles in
minutes; leases, retries and the reconcile delay are shortened to match (--lease etc.).

After the last crash point it waits until the night has settled (no run queued or running, no document
being booked or waiting for its automatic check) and judges every ledger entry against the Yuki
sandbox's journals and archive, by the reference each booking carries: booked once, duplicates, lost
(neither in Yuki nor visible as failed or held), held for a person (and whether Yuki has it), failed,
stuck runs, time to settle. --seed makes the crash schedule repeatable (the machine's timing is not).

    .venv/bin/python bench/chaos_import.py --seed 1
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

KINDS = ("kill_pool_child", "kill_worker", "redis_restart", "pg_terminate", "second_worker",
         "yuki_drop_before", "yuki_drop_after", "yuki_http_500", "yuki_slow")
WRITE_OPERATIONS = ("ProcessJournal", "UploadDocument*")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--administrations", type=int, default=46)
    parser.add_argument("--employees", type=int, default=3, help="payslips per administration")
    parser.add_argument("--crashes", type=int, default=27, help="crash points (each kind at least once)")
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help="comma-separated crash kinds to draw from (e.g. redis_restart to hunt one crash)")
    parser.add_argument("--chaos-seconds", type=float, default=90, help="crash points fall in this window")
    parser.add_argument("--settle-timeout", type=float, default=300)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every Loket call")
    parser.add_argument("--yuki-timeout", type=float, default=3.0)
    parser.add_argument("--lease", type=int, default=75, help="IMPORT_PUSH_LEASE_SECONDS")
    parser.add_argument("--push-time-limit", type=int, default=60, help="IMPORT_PUSH_TIME_LIMIT_SECONDS")
    parser.add_argument("--sweep-every", type=float, default=10)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_chaos")
    parser.add_argument("--keep-logs", action="store_true", help="keep the workers' and Redis' logs")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class PrivateRedis:
    """A redis-server of the bench's own: no RDB, no AOF, so a restart loses everything."""

    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT)
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def restart_losing_data(self) -> None:
        self.stop(signal.SIGKILL)
        time.sleep(0.5)  # down for a moment, like a container restart
        self.start()

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=10)


class Worker:
    """A Celery worker process; its output goes to a log file of its own per start."""

    def __init__(self, name: str, env: dict, concurrency: int, folder: Path):
        self.name, self.env, self.concurrency, self.folder = name, env, concurrency, folder
        self.process: subprocess.Popen | None = None
        self.starts, self.orphans = 0, set()
        self.killed_by_us = False

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        self.killed_by_us = False
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "payrollsync", "worker", "-n", f"{self.name}@%h",
                 f"--concurrency={self.concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
                 "--prefetch-multiplier=1"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool(self) -> list[int]:
        return children_of(self.process.pid) if self.alive() else []

    def kill_main(self) -> None:
        self.orphans |= set(self.pool())
        self.killed_by_us = True
        self.process.send_signal(signal.SIGKILL)

    def exit_reason(self) -> str:
        """Why the main process ended, from its own log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        for pattern in (r"Unrecoverable error: (.*)", r"(WorkerLostError\(.*?\))", r"(Traceback.*)"):
            if found := re.search(pattern, text):
                return found.group(1).strip()[:160]
        return f"exit code {self.process.returncode}"

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for pid in self.orphans:  # only while it still is one of ours (a pid can be reused)
            if f"{self.name}@" in _command_line(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def main():  # noqa: C901, PLR0915 - one night, told from start to end
    args = parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix=f"chaos-{args.seed}-"))
    broker = PrivateRedis(folder)
    broker.start()
    env = {"DATABASE_URL": args.database, "CELERY_BROKER_URL": broker.url + "/0",
           "CACHE_URL": f"rediscache://127.0.0.1:{broker.port}/1",
           "DJANGO_SETTINGS_MODULE": "payrollsync.settings_test", "LOG_LEVEL": "WARNING",
           "YUKI_TIMEOUT": str(args.yuki_timeout), "IMPORT_PUSH_LEASE_SECONDS": str(args.lease),
           "IMPORT_PUSH_TIME_LIMIT_SECONDS": str(args.push_time_limit), "IMPORT_RETRY_SECONDS": "1",
           "IMPORT_RECONCILE_DELAY_SECONDS": "10", "IMPORT_REDISPATCH_AFTER_SECONDS": "20",
           "IMPORT_BUSY_RETRY_SECONDS": "5", "YUKI_DAILY_BUDGET": "1000000",
           "YUKI_WSDL_CACHE_DIR": str(folder / "wsdl-cache"), "PAYROLLSYNC_IGNORE_DOTENV": "on"}
    os.environ.update(env)
    from bench_import import connect_loket, generated_employers, recreate_database

    recreate_database(args.database)

    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import OperationalError, close_old_connections, connection
    from django.db.models import Count
    from django.utils import timezone

    from payrollsync.celery import app
    from portal.imports import booking, runs
    from portal.models import (
        Administration,
        AssignedEmployer,
        Domain,
        EntryState,
        ImportRun,
        LedgerEntry,
        PortalSettings,
        RunTrigger,
    )
    from portal.scheduling import import_plan
    from sandbox.loket import create_app as create_loket
    from sandbox.loket import data as loket_data
    from sandbox.server import SandboxServer
    from sandbox.yuki import create_app as create_yuki
    from sandbox.yuki.data import STANDARD_GL_ACCOUNTS, SandboxAdministration, SandboxDomain

    call_command("migrate", verbosity=0)
    database_name = args.database.rsplit("/", 1)[1]
    admin_url = args.database.rsplit("/", 1)[0] + "/postgres"

    from integrations.loket.access import redirect_uri

    yuki, loket = create_yuki(), create_loket(redirect_uris=[redirect_uri()])
    yuki.state.daily_limit = 10**9
    employers = generated_employers(args.administrations, args.employees)
    loket_data.ADMINISTRATIONS = loket_data.ADMINISTRATIONS + employers
    # Loket answers slowly; Yuki only when a crash point says so (the sandbox applies the first rule that
    # matches a call, so a standing delay on Yuki would hide every injected fault).
    loket.faults.add("delay", vendor="loket", seconds=args.latency, times=0)

    def db(query, default=None):
        """A read in the bench's own process, across the connection terminations it causes."""
        for _attempt in range(5):
            try:
                return query()
            except OperationalError:
                connection.close()
                time.sleep(0.5)
        return default

    with SandboxServer(yuki) as yuki_server, SandboxServer(loket) as loket_server:
        worker_env = {**os.environ, "YUKI_BASE_URL": yuki_server.url + "/ws/", "LOKET_ENVIRONMENT": "sandbox",
                      "LOKET_SANDBOX_URL": loket_server.url}
        os.environ.update({k: worker_env[k] for k in ("YUKI_BASE_URL", "LOKET_ENVIRONMENT", "LOKET_SANDBOX_URL")})
        from django.conf import settings

        settings.LOKET_ENVIRONMENT, settings.LOKET_SANDBOX_URL = "sandbox", loket_server.url
        connect_loket(loket_server)
        today = timezone.localdate()
        portal = PortalSettings.load()
        portal.import_settings.auto_import = True
        portal.import_settings.save()
        # What the schedule imports tonight (portal.scheduling.import_plan), for the settings just saved.
        plan = import_plan("loket", portal.import_settings, today)
        administrations = []
        for index in range(args.administrations):
            domain_id, key, yuki_admin = f"chaos-domain-{index // 10}", f"chaos-key-{index}", f"chaos-admin-{index}"
            yuki.state.register(SandboxDomain(domain_id, f"Chaos domein {index // 10}"),
                                [SandboxAdministration(yuki_admin, f"Chaos {index}", domain_id,
                                                       gl_accounts=dict(STANDARD_GL_ACCOUNTS))])
            yuki.state.add_access_key(key, domain_id, [yuki_admin])
            domain, _ = Domain.objects.get_or_create(yuki_domain_id=domain_id,
                                                     defaults={"name": domain_id, "payroll_link_active": True})
            # The portal's shared Loket access reaches only employers assigned to the domain.
            AssignedEmployer.objects.create(domain=domain, source="loket", number=str(employers[index].client_number),
                                            wage_tax_number=employers[index].wage_tax_number,
                                            name=employers[index].employer_name)
            administrations.append(Administration.objects.create(
                domain=domain, name=f"Chaos {index}", yuki_administration_id=yuki_admin, yuki_access_key=key,
                source="loket", relation_code=str(employers[index].client_number),
                wage_tax_number=employers[index].wage_tax_number))
        connection.close()

        # The crash schedule: each kind once, the rest drawn at random; moments at random in the window.
        chosen = [kind for kind in args.kinds.split(",") if kind]
        unknown_kinds = set(chosen) - set(KINDS)
        if unknown_kinds:
            raise SystemExit(f"unknown crash kinds: {', '.join(sorted(unknown_kinds))}")
        kinds = chosen + [rng.choice(chosen) for _ in range(max(0, args.crashes - len(chosen)))]
        rng.shuffle(kinds)
        schedule = sorted((rng.uniform(2, args.chaos_seconds), kind) for kind in kinds)

        workers = [Worker("chaos1", worker_env, args.concurrency, folder)]
        exits = []  # (worker, by us?, reason)
        injected = collections.Counter()
        notes = []
        restart_at = {}

        def supervise(now: float) -> None:
            for worker in workers:
                worker.orphans |= set(worker.pool())  # an unexpected exit orphans them too
                if worker.process is not None and not worker.alive() and worker.name not in restart_at:
                    if worker.name == "chaos2" and getattr(worker, "retired", False):
                        continue
                    reason = worker.exit_reason()
                    if not worker.killed_by_us:  # kept whatever --keep-logs says: the traceback is the finding
                        kept = Path(tempfile.gettempdir()) / f"chaos-exit-{args.seed}-{worker.log.name}"
                        shutil.copy(worker.log, kept)
                        reason += f" (log: {kept})"
                    exits.append((worker.name, worker.killed_by_us, reason))
                    restart_at[worker.name] = now + 1.0  # docker-compose: restart unless stopped
                if worker.name in restart_at and now >= restart_at[worker.name]:
                    del restart_at[worker.name]
                    worker.start()

        def inject(kind: str, now: float) -> None:
            injected[kind] += 1
            if kind == "kill_pool_child":
                pool = [pid for worker in workers for pid in worker.pool()]
                if pool:
                    os.kill(rng.choice(pool), signal.SIGKILL)
                else:
                    notes.append(f"{now:.0f}s kill_pool_child: no pool process alive")
            elif kind == "kill_worker":
                alive = [worker for worker in workers if worker.alive()]
                if alive:
                    rng.choice(alive).kill_main()
                else:
                    notes.append(f"{now:.0f}s kill_worker: no worker alive")
            elif kind == "redis_restart":
                broker.restart_losing_data()
            elif kind == "pg_terminate":
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    ended = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE datname = %s AND pid <> pg_backend_pid()", (database_name,)).fetchone()
                notes.append(f"{now:.0f}s pg_terminate: {ended[0]} connections ended")
            elif kind == "second_worker":
                second = next((worker for worker in workers if worker.name == "chaos2"), None)
                if second is None:
                    second = Worker("chaos2", worker_env, args.concurrency, folder)
                    workers.append(second)
                if not second.alive():
                    second.retired = False
                    second.start()
                    second.stop_at = now + rng.uniform(10, 40)
            else:
                action = {"yuki_drop_before": "drop_before", "yuki_drop_after": "drop_after",
                          "yuki_http_500": "http_error", "yuki_slow": "timeout"}[kind]
                yuki.faults.add(action, vendor="yuki", operation=rng.choice(WRITE_OPERATIONS), times=1,
                                status=500, seconds=args.yuki_timeout + 2)

        def sweep_now() -> None:
            try:
                app.send_task("portal.tasks.sweep", expires=args.sweep_every * 2, retry=False)
            except Exception as exc:  # noqa: BLE001 - the broker may be down right now: next time
                notes.append(f"sweep not sent ({type(exc).__name__})")

        def settled() -> bool:
            return db(lambda: not ImportRun.objects.filter(status__in=["queued", "running"]).exists()
                      and not LedgerEntry.objects.filter(state__in=[EntryState.NEW, EntryState.PUSHING]).exists()
                      and not LedgerEntry.objects.filter(state=EntryState.NEEDS_CHECK, check_by_person=False).exists(),
                      default=False)

        workers[0].start()
        time.sleep(3)  # the worker boots before the night starts
        started = time.monotonic()
        for administration in administrations:
            run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan,
                                  slot=f"chaos:{administration.pk}")
            app.send_task("portal.tasks.run_import", args=(run.pk,))
        connection.close()
        last_sweep = time.monotonic()
        pending = list(schedule)
        last_crash = None
        settled_at = None
        try:
            while True:
                now = time.monotonic() - started
                while pending and pending[0][0] <= now:
                    _at, kind = pending.pop(0)
                    inject(kind, now)
                    last_crash = now
                for worker in workers:
                    if worker.name == "chaos2" and worker.alive() and now >= getattr(worker, "stop_at", 1e9):
                        worker.retired = True
                        worker.stop()
                supervise(now)
                if time.monotonic() - last_sweep >= args.sweep_every:
                    sweep_now()
                    last_sweep = time.monotonic()
                if not pending:
                    if last_crash is None:
                        last_crash = now
                    if now - last_crash > 5 and settled():
                        settled_at = now
                        break
                    if now - last_crash > args.settle_timeout:
                        break
                time.sleep(0.2)
        finally:
            for worker in workers:
                worker.stop()
            broker.stop()
        close_old_connections()
        connection.close()

        # --- The judgement, from Yuki's own records ------------------------------------------------
        in_yuki = collections.Counter()
        for journal in yuki.state.journals:
            for ref in re.findall(r"\[[a-z]+-[0-9a-f]{10}(?: v\d+)?\]", journal.subject):
                in_yuki[ref] += 1
        for archived in yuki.state.archive:
            for ref in re.findall(r"\[[a-z]+-[0-9a-f]{10}(?: v\d+)?\]", archived.file_name):
                in_yuki[ref] += 1
        entries = list(LedgerEntry.objects.exclude(state=EntryState.WAITING_AT_SOURCE))
        figures = collections.Counter()
        held_kinds = collections.Counter()
        references = set()
        for entry in entries:
            ref = booking.reference(entry)
            references.add(ref)
            copies = in_yuki.get(ref, 0)
            figures["duplicates"] += max(0, copies - 1)
            held = entry.state == EntryState.NEEDS_CHECK and entry.check_by_person
            if held:
                figures["held for a person"] += 1
                figures["held, in Yuki" if copies else "held, not in Yuki"] += 1
                held_kinds[entry.kind] += 1
            elif entry.state == EntryState.BOOKED:
                figures["booked once" if copies == 1 else "booked, more than once" if copies else "lost"] += 1
            elif entry.state == EntryState.FAILED:
                figures["failed (visible, in Yuki)" if copies else "failed (visible)"] += 1
            else:
                figures[f"unsettled ({entry.state}){', in Yuki' if copies else ''}"] += 1
                if not copies:
                    figures["lost"] += 1
        unknown = sum(n for ref, n in in_yuki.items() if ref not in references)
        per_administration = collections.Counter(
            LedgerEntry.objects.values_list("administration_id", flat=True))
        usual = collections.Counter(per_administration.values()).most_common(1)[0][0] if per_administration else 0
        never_fetched = sum(max(0, usual - per_administration.get(a.pk, 0)) for a in administrations)
        statuses = dict(ImportRun.objects.values_list("status").annotate(n=Count("pk")))
        stuck = statuses.get("queued", 0) + statuses.get("running", 0)
        wall = time.monotonic() - started

        print(f"chaos night, seed {args.seed}: {args.administrations} administrations x ({args.employees} payslips"
              f" + journal + wage tax return), concurrency {args.concurrency}, latency {args.latency}s")
        print(f"crash points injected: {sum(injected.values())}  {dict(sorted(injected.items()))}")
        faults = yuki.faults.rules()
        print(f"Yuki faults that hit a call: {sum(rule['fired'] for rule in faults)} of {len(faults)}")
        unexpected = [(name, reason) for name, by_us, reason in exits if not by_us]
        print(f"worker restarts: {len(exits)} ({len(exits) - len(unexpected)} after our SIGKILL, "
              f"{len(unexpected)} exits on their own)")
        for name, reason in unexpected:
            print(f"    {name} exited on its own: {reason}")
        print(f"documents in the ledger: {len(entries)}  Yuki records: {sum(in_yuki.values())}"
              f" (+ {unknown} not matching any ledger entry)")
        print(f"booked once: {figures['booked once']}  duplicates: {figures['duplicates'] + unknown}  "
              f"lost: {figures['lost']}  never fetched (runs failed): {never_fetched}")
        print(f"held for a person: {figures['held for a person']} {dict(held_kinds)} "
              f"(in Yuki {figures['held, in Yuki']}, not in Yuki {figures['held, not in Yuki']})")
        print("other states: " + str({k: v for k, v in figures.items() if k.startswith(("failed", "unsettled"))}))
        print(f"runs: {statuses}  stuck: {stuck}")
        settle = f"{settled_at - last_crash:.0f}s" if settled_at is not None else \
            f"not settled within {args.settle_timeout:.0f}s"
        print(f"time to settle after the last crash point: {settle}  (night's wall time {wall:.0f}s)")
        for note in notes:
            if not note.startswith("sweep not sent"):
                print(f"    note: {note}")
        sweeps_lost = sum(1 for note in notes if note.startswith("sweep not sent"))
        if sweeps_lost:
            print(f"    note: {sweeps_lost} sweeps not sent while the broker was down")
        if args.keep_logs:
            print(f"logs: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
