"""Every call is logged (service, operation, administration, duration, outcome); secrets never are."""

import logging
from datetime import date
from decimal import Decimal

import pytest

from sandbox.yuki import data
from yuki_client import ArchiveFolder, InvalidAccessKeyError, SingleStatementLine


def test_each_call_is_logged_with_its_outcome(client, sandbox, caplog):
    caplog.set_level(logging.INFO, logger="yuki_client")
    client.upload_document(data.DEMO_ADMINISTRATION_ID, "a.pdf", b"%PDF", ArchiveFolder.PERSONNEL)

    records = [r for r in caplog.records if r.name == "yuki_client"]
    assert [(r.yuki_service, r.yuki_operation, r.yuki_outcome) for r in records] == [
        ("Archive", "Authenticate", "ok"), ("Archive", "UploadDocument", "ok")]
    assert records[1].yuki_administration == data.DEMO_ADMINISTRATION_ID
    assert records[1].yuki_duration_ms >= 0
    assert "administration=" + data.DEMO_ADMINISTRATION_ID in records[1].getMessage()


def test_failures_are_logged_as_warnings(make_client, caplog):
    caplog.set_level(logging.INFO, logger="yuki_client")
    with pytest.raises(InvalidAccessKeyError):
        make_client(access_key="wrong-key").domains()

    [record] = [r for r in caplog.records if r.name == "yuki_client"]
    assert record.levelno == logging.WARNING
    assert record.yuki_outcome == "InvalidAccessKeyError"


def test_no_secret_reaches_any_log(make_client, sandbox, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, zeep and httpx2 included
    client = make_client(access_key=None, user_name=data.DEMO_USER_NAME, password=data.DEMO_PASSWORD)
    client.domains()
    keyed = make_client()
    keyed.import_single_statement_line(SingleStatementLine("10000", date(2026, 11, 30), "x", Decimal("-1.00")))
    session_ids = list(sandbox.app.state.sessions)

    text = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert "yuki Accounting.Domains" in text
    for secret in [data.DEMO_ACCESS_KEY, data.DEMO_PASSWORD, *session_ids]:
        assert secret not in text
