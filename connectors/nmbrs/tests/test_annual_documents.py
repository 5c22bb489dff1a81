"""Bulk fetch of annual documents for a list of companies (seed 002: "Jaarstukken: als ze locked zijn")."""

from connectors.documents import DocumentKind
from connectors.nmbrs.errors import MissingApiRights, NoCompanyAccess
from connectors.nmbrs.operations import ANNUAL_DOCUMENTS, annual_document
from connectors.nmbrs.source import NmbrsSource
from sandbox.nmbrs import data

from .checks import assert_valid_pdf


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


def test_a_year_whose_final_run_is_not_locked_is_skipped(source, today, nmbrs_app):
    result = source.annual_documents([50001], today.year, [annual_document("annual-statements")])
    assert result.documents == []
    assert "not locked yet" in result.skipped[50001]
    assert not any(c.operation.startswith("SalaryDocuments_AnnualDocument") for c in nmbrs_app.state.calls)


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
    assert "SalaryDocuments_AnnualDocument" in error.user_message_nl


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
