"""WSDLs are parsed once per service per process and downloaded once per cache directory."""

from datetime import date
from decimal import Decimal

from sandbox.yuki import data
from yuki_client import EntryLine, Journal, SingleStatementLine, clear_client_cache, wsdl_parse_count


def test_each_service_wsdl_is_parsed_once_however_many_calls(client, sandbox):
    clear_client_cache()
    before = wsdl_parse_count()
    journal = Journal("Loon", [EntryLine(date(2026, 11, 30), "40000", Decimal("1.00"), "a"),
                               EntryLine(date(2026, 11, 30), "18000", Decimal("-1.00"), "b")])
    for _ in range(5):
        client.domains()
        client.process_journal(data.DEMO_ADMINISTRATION_ID, journal)
        client.document_folders()
        client.import_single_statement_line(SingleStatementLine("10000", date(2026, 11, 30), "x", Decimal("-1.00")))

    assert wsdl_parse_count() - before == 3  # Accounting, Archive, Pettycash
    assert sandbox.app.faults.calls["yuki:GET"] == 3


def test_a_new_process_reads_the_wsdl_from_the_disk_cache(make_client, sandbox, wsdl_cache):
    clear_client_cache()
    make_client().domains()
    assert sandbox.app.faults.calls["yuki:GET"] == 1
    assert (wsdl_cache / "wsdl.sqlite").exists()

    clear_client_cache()  # as if a new worker process started
    make_client().domains()
    assert sandbox.app.faults.calls["yuki:GET"] == 1  # parsed again, but not downloaded again
