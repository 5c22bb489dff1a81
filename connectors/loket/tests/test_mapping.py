"""Pure parts: Loket JSON to documents, the 403 -> right table, environments, Retry-After."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from connectors.documents import Period
from connectors.loket import endpoints, environments
from connectors.loket.administrations import LoketAdministration
from connectors.loket.errors import REQUIRED_RIGHTS, LoketDataError, missing_right_for
from connectors.loket.mapping import amount, journal_document, journal_lines, period_from_loket
from connectors.retry_after import retry_after

NOV = Period.month(2026, 11)
ADMIN = LoketAdministration("adm", "emp", "40123", "812345678L01", "Demo")


def _line(code, debit, credit, centre=None):
    return {"generalLedgerAccount": {"code": code, "description": f"Rekening {code}"},
            "costCenter": {"code": centre} if centre else None, "debetAmount": debit, "creditAmount": credit}


def test_amounts_from_json_floats_are_exact():
    assert amount(0.1) + amount(0.2) == Decimal("0.3")
    assert amount(None) == Decimal("0.00")
    with pytest.raises(LoketDataError, match="not a number"):
        amount("twelve")


def test_journal_lines_sign_debit_positive_credit_negative_and_skip_empty_lines():
    lines = journal_lines([_line("4000", 3450.10, 0, "KC10"), _line("1620", 0, 3450.10), _line("4999", 0, 0)],
                          NOV)
    assert [(line.gl_account, line.amount, line.cost_centre) for line in lines] == [
        ("4000", Decimal("3450.10"), "KC10"), ("1620", Decimal("-3450.10"), "")]
    assert {line.entry_date for line in lines} == {date(2026, 11, 30)}


def test_an_unbalanced_journal_run_is_a_data_error_not_a_booking():
    run = {"id": "run-1", "journalRunStatus": {"key": 4, "value": "Verwerkt"}}
    with pytest.raises(LoketDataError, match="does not balance"):
        journal_document(ADMIN, run, [_line("4000", 100, 0), _line("1620", 0, 99.99)], NOV)


def test_a_journal_line_without_ledger_account_is_a_data_error():
    with pytest.raises(LoketDataError, match="general ledger account"):
        journal_lines([_line("", 10, 0)], NOV)


def test_a_loket_payroll_period_becomes_our_period():
    period = period_from_loket({"id": 202611, "year": 2026, "periodNumber": 11, "startDate": "2026-11-01",
                                "endDate": "2026-11-30T00:00:00"})
    assert period == NOV


@pytest.mark.parametrize(("path", "right"), [
    (endpoints.path(endpoints.EMPLOYMENTS, employer_id="e"), "Raadplegen dienstverbanden"),
    (endpoints.path(endpoints.PAYSLIP_LIST, employment_id="x"), "Raadplegen loonoutput"),
    (endpoints.path(endpoints.PAYSLIP_PDF, employment_id="x", payroll_period_id=202611), "Raadplegen loonoutput"),
    (endpoints.path(endpoints.PAYROLL_PERIODS, administration_id="a"), "Raadplegen loonoutput"),
    (endpoints.path(endpoints.JOURNAL_RUNS, administration_id="a"), "940 journaliseren"),
    (endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id="j"), "Exporteren journaalrun"),
    (endpoints.path(endpoints.TAX_RETURNS, administration_id="a"), "Raadplegen loonaangifte"),
    (endpoints.path(endpoints.TAX_RETURN_MESSAGE, tax_return_id="t"), "Raadplegen loonaangifte"),
    (endpoints.ADMINISTRATIONS, None),
])
def test_a_403_path_names_the_right_seed_000_lists(path, right):
    assert missing_right_for(path) == right
    assert right is None or right in REQUIRED_RIGHTS


def test_ids_in_paths_are_quoted():
    assert endpoints.path(endpoints.TAX_RETURN, tax_return_id="a/../b") .endswith("/payrolltaxreturns/a%2F..%2Fb")


def test_environments_are_chosen_by_name():
    assert environments.environment("production").token_url == "https://oauth.loket.nl/token"
    assert environments.environment("acceptance").api_base == "https://api.loket-acc.nl/v2"
    sandbox = environments.environment("sandbox", "http://localhost:8000/sandbox/loket/")
    assert (sandbox.authorize_url, sandbox.api_base) == ("http://localhost:8000/sandbox/loket/oauth/authorize",
                                                         "http://localhost:8000/sandbox/loket/api/v2")
    with pytest.raises(ValueError, match="prefix"):
        environments.environment("sandbox")
    with pytest.raises(ValueError, match="unknown"):
        environments.environment("staging")


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now
    assert retry_after("soon") is None and retry_after(None) is None
