"""Benchmark: one night on one or two worker "hosts" against one PostgreSQL, one Redis and one beat (not a test).

Each host is a Celery worker process of its own (its own hostname, `-n hostN@bench`, and prefork pool of
--concurrency processes), started in a network namespace of its own (`ip netns`, a veth pair to this
machine: 10.231.N.2 <-> 10.231.N.1) when the bench runs as root and `ip netns` works (--no-netns: on this
machine's loopback). The hosts reach PostgreSQL through a socat forwarder on 10.231.N.1 (PostgreSQL itself
listens on loopback only), and Redis (a private redis-server on a free port, no persistence) and the
simulated vendors (bound on every address) directly. One `celery beat` process (this machine, the
project's schedule: the sweeper every 120 s) runs beside them, as in production, where there is exactly
one.

The night starts as the beat starts it: one `enqueue_due_imports` task (portal/scheduling.py), taken by
whichever host is free, creates the runs; the runs and their pushes spread over the hosts through Redis.
Loket administrations (bench_import's generated employers), a delay on every vendor call.

Prints the wall time against its lower bound (vendor calls x latency / all hosts' processes), what each
host did (tasks, CPU), documents booked, duplicates in Yuki (files or journals booked twice for one
administration), the booked documents' digest (bench_import.booked_digest: compare it with a night
without a kill), and per Yuki domain the calls Yuki counted against the portal's budget (--budget).

    sudo .venv/bin/python bench/two_hosts.py --hosts 1                   # the reference night
    sudo .venv/bin/python bench/two_hosts.py --hosts 2                   # about half the wall time
    sudo .venv/bin/python bench/two_hosts.py --hosts 2 --kill-after 40   # host 1 SIGKILLed after 40 s
    sudo .venv/bin/python bench/two_hosts.py --hosts 2 --budget 50       # every domain stops at 50 Yuki calls
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--project" in sys.argv:  # before anything of the project is imported
    ROOT = Path(sys.argv[sys.argv.index("--project") + 1]).resolve()
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
HERE = Path(__file__).resolve().parent
sys.path.insert(1, str(HERE))
SHIM = HERE / "worker_shim.py"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=2)
    parser.add_argument("--administrations", type=int, default=200)
    parser.add_argument("--employees", type=int, default=3)
    parser.add_argument("--per-domain", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every vendor call")
    parser.add_argument("--concurrency", type=int, default=4, help="pool processes per host")
    parser.add_argument("--kill-after", type=float, default=0, help="SIGKILL host 1 (all its processes) after this")
    parser.add_argument("--budget", type=int, default=1_000_000, help="YUKI_DAILY_BUDGET (Yuki calls per domain)")
    parser.add_argument("--no-netns", action="store_true", help="the hosts on this machine's loopback")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_two_hosts")
    parser.add_argument("--project", default=str(ROOT), help="the checkout to measure (default: this one)")
    parser.add_argument("--timeout", type=float, default=1800)
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


class Namespaces:
    """Host N's network namespace `bench-hostN` with a veth pair; torn down on exit."""

    def __init__(self, count: int, use: bool):
        self.count, self.names, self.use = count, [], use

    def __enter__(self):
        if not self.use:
            return self
        for n in range(1, self.count + 1):
            name, outside, inside = f"bench-host{n}", f"bh{n}a", f"bh{n}b"
            run("ip", "netns", "add", name)
            self.names.append(name)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            run("ip", "link", "set", inside, "netns", name)
            run("ip", "addr", "add", f"10.231.{n}.1/24", "dev", outside)
            run("ip", "link", "set", outside, "up")
            for command in (["ip", "addr", "add", f"10.231.{n}.2/24", "dev", inside], ["ip", "link", "set", inside, "up"],
                            ["ip", "link", "set", "lo", "up"], ["ip", "route", "add", "default", "via", f"10.231.{n}.1"]):
                run("ip", "netns", "exec", name, *command)
        return self

    def address(self, n: int) -> str:
        """Where host N reaches this machine."""
        return f"10.231.{n}.1" if self.use else "127.0.0.1"

    def prefix(self, n: int) -> list[str]:
        return ["ip", "netns", "exec", f"bench-host{n}"] if self.use else []

    def __exit__(self, *exc):
        for n, name in enumerate(self.names, start=1):
            subprocess.run(["ip", "link", "del", f"bh{n}a"], capture_output=True)
            subprocess.run(["ip", "netns", "del", name], capture_output=True)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop a process this bench started and everything it started (its own session)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a worker and its live pool processes (and those it reaped)."""
    from bench_import import worker_cpu_so_far

    return worker_cpu_so_far(pid)


def main():  # noqa: PLR0915 - one night, told from start to end
    args = parse_args()
    use_netns = not args.no_netns and os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="two-hosts-"))
    redis_port = free_port()
    redis_server = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "",
         "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, start_new_session=True)
    env = {"DATABASE_URL": args.database, "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
           "BENCH_COUNTER_URL": f"redis://127.0.0.1:{redis_port}/0", "CACHE_URL": f"rediscache://127.0.0.1:{redis_port}/1",
           "DJANGO_SETTINGS_MODULE": "payrollsync.settings_test", "LOG_LEVEL": "WARNING",
           "YUKI_DAILY_BUDGET": str(args.budget), "YUKI_WSDL_CACHE_DIR": str(folder / "wsdl-cache"),
           "PAYROLLSYNC_IGNORE_DOTENV": "on",
           # A host that dies: its leases run out into a check, its lost pushes are sent again by the sweep.
           "IMPORT_PUSH_LEASE_SECONDS": "75", "IMPORT_PUSH_TIME_LIMIT_SECONDS": "60",
           "IMPORT_REDISPATCH_AFTER_SECONDS": "20", "IMPORT_RECONCILE_DELAY_SECONDS": "10",
           "IMPORT_BUSY_RETRY_SECONDS": "5", "CELERY_VISIBILITY_TIMEOUT": "120"}
    os.environ.update(env)
    from bench_import import (
        booked_digest,
        connect_loket,
        generated_employers,
        recreate_database,
        set_up_administrations,
    )

    recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from integrations.loket.access import redirect_uri
    from portal.models import ImportRun, LedgerEntry, PortalSettings
    from portal.tasks import enqueue_due_imports
    from sandbox.loket import create_app as create_loket
    from sandbox.loket import data as loket_data
    from sandbox.server import SandboxServer
    from sandbox.yuki import create_app as create_yuki

    yuki, loket = create_yuki(), create_loket(redirect_uris=[redirect_uri()])
    # Yuki itself refuses a domain's calls beyond the budget: a portal that overshot would see it fail.
    yuki.state.daily_limit = args.budget
    employers = generated_employers(args.administrations, args.employees)
    loket_data.ADMINISTRATIONS = loket_data.ADMINISTRATIONS + employers
    for app, vendor in ((yuki, "yuki"), (loket, "loket")):
        app.faults.add("delay", vendor=vendor, seconds=args.latency, times=0)
    args.source = "loket"
    workers: list[subprocess.Popen] = []
    forwarders: list[subprocess.Popen] = []
    beat = None
    with SandboxServer(yuki, host="0.0.0.0") as yuki_server, SandboxServer(loket, host="0.0.0.0") as loket_server, \
            Namespaces(args.hosts, use_netns) as namespaces:
        yuki_port, loket_port = yuki_server.httpd.server_port, loket_server.httpd.server_port
        local = {"YUKI_BASE_URL": f"http://127.0.0.1:{yuki_port}/ws/", "LOKET_ENVIRONMENT": "sandbox",
                 "LOKET_SANDBOX_URL": f"http://127.0.0.1:{loket_port}"}
        os.environ.update(local)
        from django.conf import settings

        settings.LOKET_ENVIRONMENT, settings.LOKET_SANDBOX_URL = "sandbox", local["LOKET_SANDBOX_URL"]
        connect_loket(loket_server)
        portal = PortalSettings.load()
        portal.import_settings.auto_import = True
        portal.import_settings.first_day, portal.import_settings.last_day = 1, 31
        portal.import_settings.save()
        set_up_administrations(args, yuki, employers)
        connection.close()
        try:
            for n in range(1, args.hosts + 1):
                address = namespaces.address(n)
                pg_port = 5432
                if use_netns:  # PostgreSQL listens on loopback: a forwarder on the host's side of the veth
                    pg_port = free_port()
                    forwarders.append(subprocess.Popen(
                        ["socat", f"TCP-LISTEN:{pg_port},bind={address},fork,reuseaddr", "TCP:127.0.0.1:5432"],
                        start_new_session=True))
                database = args.database.replace("127.0.0.1:5432", f"{address}:{pg_port}")
                host_env = {**os.environ, "DATABASE_URL": database,
                            "CELERY_BROKER_URL": f"redis://{address}:{redis_port}/0",
                            "BENCH_COUNTER_URL": f"redis://{address}:{redis_port}/0",
                            "BENCH_COUNTER_PREFIX": f"bench:host{n}",
                            "CACHE_URL": f"rediscache://{address}:{redis_port}/1",
                            "YUKI_BASE_URL": f"http://{address}:{yuki_port}/ws/",
                            "LOKET_SANDBOX_URL": f"http://{address}:{loket_port}"}
                workers.append(subprocess.Popen(
                    [*namespaces.prefix(n), sys.executable, str(SHIM), "-A", "payrollsync", "worker",
                     f"--concurrency={args.concurrency}", f"--hostname=host{n}@bench", "--loglevel=WARNING",
                     "--without-gossip", "--without-mingle", "--prefetch-multiplier=1"],
                    cwd=ROOT, env=host_env, stdout=subprocess.DEVNULL, stderr=open(folder / f"host{n}.log", "w"),
                    start_new_session=True))
            beat = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "payrollsync", "beat", "--loglevel=WARNING",
                 f"--schedule={folder / 'beat-schedule'}"], cwd=ROOT, env=os.environ.copy(),
                stdout=subprocess.DEVNULL, stderr=open(folder / "beat.log", "w"), start_new_session=True)
            time.sleep(5)  # let the workers boot before the clock starts
            cpu_before = [process_tree_cpu(w.pid) for w in workers]
            started, started_at = time.perf_counter(), time.time()
            enqueue_due_imports.delay()  # what the beat sends every 10 minutes: tonight's runs
            killed_at = None
            deadline = started + args.timeout
            while time.perf_counter() < deadline:
                time.sleep(0.5)
                if args.kill_after and killed_at is None and time.perf_counter() - started >= args.kill_after:
                    cpu_before[0] = process_tree_cpu(workers[0].pid) - cpu_before[0]  # what it did until then
                    stop(workers[0], signal.SIGKILL)  # the host is gone: main process and pool at once
                    killed_at = time.perf_counter() - started
                    print(f"host1 SIGKILLed after {killed_at:.0f} s", flush=True)
                if time.perf_counter() - started < 10:
                    continue  # the fan-out is still creating the runs
                if ImportRun.objects.exists() and not ImportRun.objects.filter(
                        status__in=["queued", "running"]).exists():
                    break
            wall = time.perf_counter() - started
            cpu = [None if killed_at is not None and n == 0 else process_tree_cpu(w.pid) - cpu_before[n]
                   for n, w in enumerate(workers)]
            if killed_at is not None:
                cpu[0] = cpu_before[0]
        finally:
            for process in [*workers, *([beat] if beat else []), *forwarders]:
                stop(process)
        import redis

        client = redis.Redis(port=redis_port)
        tasks = [int(client.get(f"bench:host{n}:tasks") or 0) for n in range(1, args.hosts + 1)]
        stop(redis_server)
        runs = dict(ImportRun.objects.values_list("status").annotate(n=Count("pk")))
        states = dict(LedgerEntry.objects.values_list("state").annotate(n=Count("pk")))
        files = Counter((f.administration_id, f.file_name) for f in yuki.state.archive)
        journals = Counter((j.administration_id, j.xml) for j in yuki.state.journals)
        duplicates = sum(n - 1 for n in files.values() if n > 1) + sum(n - 1 for n in journals.values() if n > 1)
        yuki_calls = sum(v for k, v in yuki.faults.calls.items() if not k.split(":", 1)[1].startswith("GET"))
        loket_calls = sum(v for k, v in loket.faults.calls.items() if "/api/" in k)
        processes = args.hosts * args.concurrency
        lower_bound = (yuki_calls + loket_calls) * args.latency / processes
        per_domain = {d: yuki.state.calls_on(d) for d in yuki.state.domains if d.startswith("bench-domain-")}
        print(f"hosts: {args.hosts} x {args.concurrency} processes ({'network namespaces' if use_netns else 'loopback'}), "
              f"administrations {args.administrations} x {args.employees} employees, latency {args.latency}s, "
              f"budget {args.budget} Yuki calls per domain")
        print(f"runs by status: {runs}")
        print(f"ledger by state: {states}")
        print(f"documents in Yuki: {len(yuki.state.archive)} files + {len(yuki.state.journals)} journals, "
              f"duplicates: {duplicates}")
        print(f"booked documents digest: {booked_digest(yuki.state)}")
        print(f"Yuki calls: {yuki_calls}, Loket calls: {loket_calls}")
        print(f"Yuki calls per domain (Yuki's count): min {min(per_domain.values())} max {max(per_domain.values())} "
              f"over {len(per_domain)} domains; budget {args.budget}; domains over it: "
              f"{sum(1 for v in per_domain.values() if v > args.budget)}")
        from django.db.models import Max

        from portal.models import YukiCallCount

        counted = YukiCallCount.objects.filter(domain_id__startswith="bench-domain-")
        print(f"the portal's count per domain: {sorted(set(counted.values_list('count', flat=True)))}; "
              f"a domain where Yuki reported its own limit: {counted.filter(limit_reached=True).count()}")

        last = ImportRun.objects.aggregate(last=Max("finished_at"))["last"]
        print(f"the last run finished {last.timestamp() - started_at:.1f}s after the start")
        print(f"wall time: {wall:.1f}s  lower bound: {lower_bound:.1f}s  ratio: {wall / max(lower_bound, 1e-9):.2f}")
        print("by host:", ", ".join(f"host{n + 1} {t} tasks, CPU {c:.1f}s" + (" (until killed)" if killed_at and n == 0
                                                                              else "")
                                    for n, (t, c) in enumerate(zip(tasks, cpu, strict=True))))
        print(f"logs: {folder}")


if __name__ == "__main__":
    main()
