"""Benchmark: 1000 sequential Yuki calls against the sandbox over real HTTP.

Reports the client-side CPU time per call (CPU of the calling thread only: the sandbox serves from
other threads) and the number of WSDL parses, counted at zeep's own WSDL parser (target: one per
service per process).

    .venv/bin/python bench/bench_yuki_client.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zeep.wsdl.wsdl  # noqa: E402

from sandbox.server import SandboxServer  # noqa: E402
from sandbox.yuki import create_app, data  # noqa: E402
from yuki_client import (  # noqa: E402
    ArchiveFolder,
    EntryLine,
    Journal,
    MemoryStore,
    SingleStatementLine,
    YukiClient,
    wsdl_parse_count,
)

parses = {"count": 0}
_original_init = zeep.wsdl.wsdl.Document.__init__


def _counting_init(self, *args, **kwargs):
    parses["count"] += 1
    return _original_init(self, *args, **kwargs)


zeep.wsdl.wsdl.Document.__init__ = _counting_init


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    logging.getLogger("httpx2").setLevel(logging.WARNING)

    app = create_app()
    app.state.daily_limit = 10**9
    journal = Journal("Loonjournaal november 2026", [
        EntryLine(date(2026, 11, 30), "40000", Decimal("2500.00"), "Bruto lonen"),
        EntryLine(date(2026, 11, 30), "17100", Decimal("-612.40"), "Loonheffing"),
        EntryLine(date(2026, 11, 30), "18000", Decimal("-1887.60"), "Netto lonen"),
    ])
    payslip = b"%PDF-1.7\n" + b"0" * 30_000
    line = SingleStatementLine("10000", date(2026, 11, 30), "Koffie", Decimal("-3.50"))
    operations = [
        lambda c: c.process_journal(data.DEMO_ADMINISTRATION_ID, journal),
        lambda c: c.upload_document(data.DEMO_ADMINISTRATION_ID, "loonstrook.pdf", payslip, ArchiveFolder.PERSONNEL),
        lambda c: c.document_folders(),
        lambda c: c.import_single_statement_line(line),
        lambda c: c.administrations(),
    ]

    with tempfile.TemporaryDirectory() as cache_dir, SandboxServer(app) as server:
        client = YukiClient(server.url + "/ws/", data.DEMO_ACCESS_KEY, domain_id=data.DEMO_DOMAIN_ID,
                            store=MemoryStore(), daily_budget=10**9, wsdl_cache_dir=cache_dir, timeout=30)
        cpu_start, wall_start = time.thread_time(), time.perf_counter()
        for number in range(args.calls):
            operations[number % len(operations)](client)
        cpu = time.thread_time() - cpu_start
        wall = time.perf_counter() - wall_start
        sent = client.calls_today()

    print(f"calls made by the benchmark:  {args.calls} (+{sent - args.calls} Authenticate)")
    print(f"SOAP calls counted:           {sent} (sandbox: {app.state.calls_on(data.DEMO_DOMAIN_ID)})")
    print(f"client CPU time per call:     {cpu / args.calls * 1000:.2f} ms (thread CPU, client side only)")
    print(f"wall time per call:           {wall / args.calls * 1000:.2f} ms (client + sandbox + HTTP)")
    print(f"WSDL parses (zeep Document):  {parses['count']} for 3 services "
          f"(yuki_client.wsdl_parse_count: {wsdl_parse_count()})")
    print(f"Authenticate calls:           {app.state.authentications}")


if __name__ == "__main__":
    main()
