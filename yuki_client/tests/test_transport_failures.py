"""Timeouts, dropped connections, HTTP errors and injected faults: typed errors, and writes never
retried blindly after an ambiguous failure."""

import time
from datetime import date
from decimal import Decimal

import pytest

from sandbox.yuki import data, fault_texts
from yuki_client import (
    AmbiguousWriteError,
    ArchiveFolder,
    EntryLine,
    Journal,
    PettyCashStatement,
    StatementLine,
    YukiClient,
    YukiError,
    YukiFault,
    YukiTimeout,
    YukiTransportError,
)

NOV30 = date(2026, 11, 30)


def journal():
    return Journal("Loon", [EntryLine(NOV30, "40000", Decimal("10.00"), "a"),
                            EntryLine(NOV30, "18000", Decimal("-10.00"), "b")])


def wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_write_that_times_out_after_sending_is_ambiguous_and_not_retried(make_client, sandbox):
    client = make_client(timeout=0.3)
    client.session_id()
    sandbox.app.faults.add("timeout", vendor="yuki", operation="ProcessJournal", seconds=0.8)

    with pytest.raises(AmbiguousWriteError, match="may have been processed by Yuki.*not retried") as info:
        client.process_journal(data.DEMO_ADMINISTRATION_ID, journal())
    assert isinstance(info.value.cause, YukiTimeout)
    assert sandbox.app.faults.calls["yuki:ProcessJournal"] == 1  # sent once, never again
    assert wait_for(lambda: len(sandbox.app.state.journals) == 1)  # ... and Yuki did book it


def test_a_read_that_times_out_is_a_timeout_not_an_ambiguous_write(make_client, sandbox):
    client = make_client(timeout=0.3)
    sandbox.app.faults.add("timeout", vendor="yuki", operation="Domains", seconds=0.8)

    with pytest.raises(YukiTimeout, match="did not answer Domains within 0.3 seconds") as info:
        client.domains()
    assert not isinstance(info.value, AmbiguousWriteError)
    assert info.value.retryable


def test_a_connection_dropped_after_the_upload_was_read_is_ambiguous(client, sandbox):
    sandbox.app.faults.add("drop_after", vendor="yuki", operation="UploadDocument")

    with pytest.raises(AmbiguousWriteError, match="UploadDocument may have been processed"):
        client.upload_document(data.DEMO_ADMINISTRATION_ID, "loonstrook.pdf", b"%PDF", ArchiveFolder.PERSONNEL)
    assert len(sandbox.app.state.archive) == 1
    assert sandbox.app.faults.calls["yuki:UploadDocument"] == 1


def test_a_connection_dropped_during_a_statement_import_is_ambiguous(client, sandbox):
    sandbox.app.faults.add("drop_before", vendor="yuki", operation="ImportStatement")
    statement = PettyCashStatement("10000", "Kas", [StatementLine(NOV30, "Koffie", Decimal("-1.00"))])

    with pytest.raises(AmbiguousWriteError):
        client.import_statement(data.DEMO_ADMINISTRATION_ID, statement)
    assert sandbox.app.faults.calls["yuki:ImportStatement"] == 1


def test_a_server_error_without_a_soap_fault_on_a_write_is_ambiguous(client, sandbox):
    sandbox.app.faults.add("http_error", vendor="yuki", operation="ProcessJournal", status=502, body="Bad gateway")

    with pytest.raises(AmbiguousWriteError, match="HTTP 502"):
        client.process_journal(data.DEMO_ADMINISTRATION_ID, journal())


def test_a_server_error_on_a_read_is_a_transport_error(client, sandbox):
    sandbox.app.faults.add("http_error", vendor="yuki", operation="DocumentFolders", status=503)

    with pytest.raises(YukiTransportError, match="HTTP 503"):
        client.document_folders()


def test_a_malformed_answer_to_a_write_is_ambiguous(client, sandbox):
    sandbox.app.faults.add("malformed", vendor="yuki", operation="ProcessJournal")

    with pytest.raises(AmbiguousWriteError):
        client.process_journal(data.DEMO_ADMINISTRATION_ID, journal())


def test_a_write_that_cannot_connect_is_not_ambiguous(wsdl_cache, store):
    from sandbox.server import SandboxServer
    from sandbox.yuki import create_app

    server = SandboxServer(create_app()).start()
    client = YukiClient(server.url + "/ws/", data.DEMO_ACCESS_KEY, domain_id=data.DEMO_DOMAIN_ID, store=store,
                        wsdl_cache_dir=wsdl_cache, timeout=2)
    client.session_id()  # WSDL parsed, session stored
    server.stop()  # Yuki unreachable: nothing is sent

    with pytest.raises(YukiTransportError, match="Could not connect") as info:
        client.process_journal(data.DEMO_ADMINISTRATION_ID, journal())
    assert not isinstance(info.value, AmbiguousWriteError)
    assert info.value.request_sent is False


def test_a_fault_on_the_nth_call_carries_yukis_message(client, sandbox):
    sandbox.app.faults.add("soap_fault", vendor="yuki", operation="DocumentFolders", on_call=3,
                           message="Archief tijdelijk niet beschikbaar")
    client.document_folders()
    client.document_folders()

    with pytest.raises(YukiFault, match="Archief tijdelijk niet beschikbaar") as info:
        client.document_folders()
    assert info.value.fault_message == "Archief tijdelijk niet beschikbaar"
    client.document_folders()


def test_an_expired_session_fault_on_a_write_renews_and_books_once(client, sandbox):
    client.session_id()
    sandbox.app.faults.add("soap_fault", vendor="yuki", operation="ProcessJournal",
                           message=fault_texts.SESSION_EXPIRED)

    client.process_journal(data.DEMO_ADMINISTRATION_ID, journal())
    assert len(sandbox.app.state.journals) == 1
    assert sandbox.app.state.authentications == 2


def test_a_slow_answer_within_the_timeout_succeeds(make_client, sandbox):
    client = make_client(timeout=2)
    sandbox.app.faults.add("delay", vendor="yuki", operation="Domains", seconds=0.3)
    assert client.domains()[0].id == data.DEMO_DOMAIN_ID


def test_every_error_is_a_yuki_error_with_a_message(client, sandbox):
    sandbox.app.faults.add("http_error", vendor="yuki", operation="Domains", status=500)
    with pytest.raises(YukiError) as info:
        client.domains()
    assert info.value.message and info.value.operation == "Domains"


def test_a_forked_process_posts_on_connections_of_its_own():
    from tests.forking import in_forked_child
    from yuki_client import soap

    parent = soap.shared_http()
    assert in_forked_child(lambda: soap.shared_http() is not parent)
    assert soap.shared_http() is parent  # the parent keeps its own
