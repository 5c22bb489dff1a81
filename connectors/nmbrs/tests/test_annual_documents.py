"""Bulk fetch of annual documents for a list of companies (docs/vendors/nmbrs.md: "Jaarstukken: als ze locked zijn")."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import translation

from connectors.documents import DocumentKind
from connectors.nmbrs.errors import MissingApiRights, NoCompanyAccess
from connectors.nmbrs.operations import ANNUAL_DOCUMENTS, annual_document
from connectors.nmbrs.records import Run
from connectors.nmbrs.source import NmbrsSource, last_period_of_year, why_year_not_finished
from sandbox.nmbrs import data

from .checks import assert_valid_pdf


@pytest.fixture(autouse=True)
def english():
    """The reasons a year is skipped are read in the language active where they are made (gettext):
    these tests read the English wording; the Dutch is the catalog's (locale/nl)."""
    with translation.override("en"):
        yield


def test_every_annual_document_of_last_year_for_each_company(source, today, nmbrs_app):
    result = source.annual_documents([50001, 50003], today.year - 1)
    assert not result.failed and not result.skipped and not result.missing
    for company_id in (50001, 50003):
        docs = result.documents_of(company_id)
        assert [d.metadata["annual_document"] for d in docs] == [a.slug for a in ANNUAL_DOCUMENTS]
        for doc in docs:
            assert doc.kind is DocumentKind.ANNUAL_DOCUMENT
            assert doc.period.start.isoformat() == f"{today.year - 1}-01-01"
            assert assert_valid_pdf(doc.content) == 1
    # asked with the year's final run, December (not the March correction run)
    final_run_ids = {c.params["RunId"] for c in nmbrs_app.state.calls
                     if c.operation.startswith("SalaryDocuments_AnnualDocument_") and c.params["CompanyId"] == 50001}
    (final_run_id,) = final_run_ids
    assert final_run_id == next(r.id for r in source.client.runs(50001, today.year - 1) if r.period_end == 12)


def test_only_the_chosen_documents_and_stable_ids(source, today):
    chosen = [annual_document("annual-statements"), annual_document("payroll-register-summary")]
    first = source.annual_documents([50002], today.year - 1, chosen)
    again = source.annual_documents([50002], today.year - 1, chosen)
    assert [d.source_id for d in first.documents] == [
        f"nmbrs:company:50002:annual:{today.year - 1}:annual-statements",
        f"nmbrs:company:50002:annual:{today.year - 1}:payroll-register-summary",
    ]
    assert [d.content_hash for d in first.documents] == [d.content_hash for d in again.documents]
    assert first.documents[0].title == f"Jaaropgaven {today.year - 1}"


def test_a_year_whose_final_run_is_not_locked_is_skipped(source, nmbrs_app):
    december = date(date.today().year, 12, 15)
    nmbrs_app.state.clock = lambda: december  # December's run exists but is still open
    result = source.annual_documents([50001], december.year, [annual_document("annual-statements")])
    assert result.documents == []
    assert "not locked yet" in result.skipped[50001]
    assert not any(c.operation.startswith("SalaryDocuments_AnnualDocument") for c in nmbrs_app.state.calls)


@pytest.mark.parametrize("month", [1, 6, 11])
def test_the_current_unfinished_year_is_skipped_naming_the_last_period(source, nmbrs_app, month):
    today = date(date.today().year, month, 10)
    nmbrs_app.state.clock = lambda: today
    result = source.annual_documents([50001, 50003], today.year, [annual_document("annual-statements")])
    assert result.documents == [] and not result.failed
    for company_id in (50001, 50003):
        reason = result.skipped[company_id]
        assert reason.startswith(f"the payroll year {today.year} is not finished: the last run is period {month} ")
    assert not any(c.operation.startswith("SalaryDocuments_AnnualDocument") for c in nmbrs_app.state.calls)


# --- Runs the sandbox does not make: a stub client ---------------------------------------------------

class RunsStub:
    """A client whose Run_GetList answers `runs`; annual document calls return a PDF and are recorded."""

    def __init__(self, runs):
        self._runs = runs
        self.calls = []

    def runs(self, company_id, year):
        return [r for r in self._runs if r.year == year]

    def call(self, service, operation, **params):
        self.calls.append((operation, params))
        return {"PDF": b"%PDF-1.4 stub"}


def _run(period, *, year=2026, locked=True, run_at=None):
    if run_at is None:
        run_at = datetime(year, min(period, 12), 20)
    return Run(id=1000 + period, number=period, year=year, period_start=period, period_end=period,
               description=f"Periode {period} {year}", run_at=run_at, is_locked=locked)


def test_a_locked_june_run_is_not_the_end_of_the_year():
    stub = RunsStub([_run(p) for p in range(1, 7)])  # June locked, July not run yet
    result = NmbrsSource(stub).annual_documents([50001], 2026)
    assert result.documents == [] and stub.calls == []
    assert result.skipped[50001].startswith("the payroll year 2026 is not finished: the last run is period 6 ")


def test_a_locked_december_run_finishes_a_monthly_year():
    stub = RunsStub([_run(p) for p in range(1, 13)])
    result = NmbrsSource(stub).annual_documents([50001], 2026, [annual_document("annual-statements")])
    assert not result.skipped and len(result.documents) == 1
    assert stub.calls == [("SalaryDocuments_AnnualDocument_AnualStatement",
                           {"CompanyId": 50001, "RunId": 1012, "Year": 2026})]


def test_a_four_weekly_payroll_ends_with_period_13():
    stub = RunsStub([_run(p) for p in range(1, 14)])
    assert len(NmbrsSource(stub).annual_documents([50001], 2026, ANNUAL_DOCUMENTS[:1]).documents) == 1
    assert last_period_of_year(2026, stub.runs(50001, 2026)) == 13


def test_a_weekly_payroll_ends_with_the_last_week_of_the_year():
    weeks = [_run(w, run_at=datetime(2026, 1, 1) + timedelta(weeks=w)) for w in range(1, 30)]
    result = NmbrsSource(RunsStub(weeks)).annual_documents([50001], 2026, ANNUAL_DOCUMENTS[:1])
    assert result.skipped[50001].startswith("the payroll year 2026 is not finished: the last run is period 29 ")
    assert "the year ends with period 53" in result.skipped[50001]  # 2026 has 53 ISO weeks
    assert last_period_of_year(2027, [_run(20, year=2027)]) == 52


def test_period_12_run_in_march_is_a_weekly_payroll_not_a_finished_year():
    # Until a weekly payroll passes week 13 its runs look monthly; when the run was made gives it away.
    weeks = [_run(w, run_at=datetime(2026, 1, 1) + timedelta(weeks=w)) for w in range(1, 13)]
    stub = RunsStub(weeks)
    result = NmbrsSource(stub).annual_documents([50001], 2026, ANNUAL_DOCUMENTS[:1])
    assert stub.calls == []
    assert result.skipped[50001].startswith("the payroll year 2026 is not finished: the last run (period 12")
    assert "was made on 2026-03-26, before the end of the year" in result.skipped[50001]


def test_why_year_not_finished_accepts_a_december_run_made_in_january():
    runs = [_run(p) for p in range(1, 12)] + [_run(12, run_at=datetime(2027, 1, 5))]
    assert why_year_not_finished(2026, runs) is None


def test_a_year_without_runs_is_skipped(source, today):
    result = source.annual_documents([50001], today.year - 5)
    assert result.skipped == {50001: f"no payroll runs in {today.year - 5}"}


def test_one_company_failing_does_not_stop_the_others(make_client, today):
    one_debtor = NmbrsSource(make_client(data.ONE_DEBTOR_USERNAME, data.ONE_DEBTOR_TOKEN))
    result = one_debtor.annual_documents([50003, 50001], today.year - 1, [annual_document("annual-statements")])
    assert isinstance(result.failed[50003], NoCompanyAccess)
    assert [d.metadata["company_id"] for d in result.documents] == [50001]


def test_without_annual_document_rights_the_error_names_those_rights(make_client, today):
    no_rights = NmbrsSource(make_client(data.NO_ANNUAL_RIGHTS_USERNAME, data.NO_ANNUAL_RIGHTS_TOKEN))
    result = no_rights.annual_documents([50001, 50002], today.year - 1)
    assert set(result.failed) == {50001, 50002}
    error = result.failed[50001]
    assert isinstance(error, MissingApiRights) and error.needs_annual_document_rights
    assert "SalaryDocuments_AnnualDocument" in str(error.user_message)


def test_a_document_nmbrs_does_not_have_is_reported_missing_and_the_rest_fetched(source, today, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="SalaryDocuments_AnnualDocument_LeaveSaldos",
                         message="2046: Document not found")
    result = source.annual_documents([50004], today.year - 1)
    assert result.missing == [(50004, "leave-balances")]
    assert len(result.documents) == len(ANNUAL_DOCUMENTS) - 1


def test_a_transient_1006_during_the_bulk_fetch_is_retried(source, today, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="SalaryDocuments_AnnualDocument_AnualStatement",
                         message="1006: Login failed, please try again")
    result = source.annual_documents([50004], today.year - 1, [annual_document("annual-statements")])
    assert not result.failed and len(result.documents) == 1
