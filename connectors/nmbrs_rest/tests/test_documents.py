"""A period's documents through the REST API: the real journal layout, many tasks at once, waiting items,
the wage tax status filter, annual statements, and the identity the SOAP side gives too."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from connectors.documents import DocumentKind, Period, WaitReason
from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
from connectors.nmbrs.source import NmbrsSource
from connectors.nmbrs_rest.identity import DocumentIdentity
from connectors.nmbrs_rest.source import NmbrsRestSource
from connectors.nmbrs_rest.tasks import Polling
from sandbox import nmbrs as soap_sandbox
from sandbox.nmbrs import data as soap_data
from sandbox.server import SandboxServer

OCTOBER = Period.month(2026, 10)
ALL_KINDS = (DocumentKind.JOURNAL, DocumentKind.SEPA, DocumentKind.PAYSLIP, DocumentKind.WAGE_TAX_RETURN)

# A run's journal in the layout Nmbrs really exports (docs/vendors/nmbrs.md, "Journals"), written here in
# our own words: two transactions with their own dates, a cost centre and a cost unit on some lines, empty
# dimensions on others, `debitcredit` in mixed case, amounts with a decimal point.
REAL_LAYOUT = """<?xml version="1.0" encoding="utf-8"?>
<transactions>
  <transaction>
    <header><date>20261025</date></header>
    <lines>
      <line><dim1>4000</dim1><dim2>PROD</dim2><dim3>BROOD</dim3><value>6015.50</value>
        <debitcredit>DEBIT</debitcredit><description>Brutolonen oktober</description></line>
      <line><dim1>1610</dim1><dim2/><dim3></dim3><value>4210.85</value>
        <debitcredit>credit</debitcredit><description>Nettolonen oktober</description></line>
      <line><dim1>1620</dim1><dim2/><dim3/><value>1804.65</value>
        <debitcredit>Credit</debitcredit><description>Loonheffing oktober</description></line>
    </lines>
  </transaction>
  <transaction>
    <header><date>20261031</date></header>
    <lines>
      <line><dim1>4100</dim1><dim2>PROD</dim2><dim3/><value>1263.26</value>
        <debitcredit>debit</debitcredit><description>Werkgeverslasten oktober</description></line>
      <line><dim1>1620</dim1><dim2/><dim3/><value>1263.26</value>
        <debitcredit>credit</debitcredit><description>Premies werkgever oktober</description></line>
    </lines>
  </transaction>
</transactions>
"""


def _soap_run(rest_app, year: int, month: int):
    payroll = rest_app.state.payroll
    return next(r for r in payroll.runs(payroll.company(50001), year) if r.period_end == month)


def test_a_journal_in_the_real_layout_is_read_balanced_through_rest(rest_app, source, company):
    rest_app.state.payroll.set_journal(50001, _soap_run(rest_app, 2026, 10).id, REAL_LAYOUT)
    [journal] = source.documents(company, OCTOBER, [DocumentKind.JOURNAL])
    lines = journal.journal_lines
    assert [(str(line.entry_date), line.gl_account, line.amount, line.cost_centre, line.cost_unit) for line in lines] == [
        ("2026-10-25", "4000", Decimal("6015.50"), "PROD", "BROOD"),
        ("2026-10-25", "1610", Decimal("-4210.85"), "", ""),
        ("2026-10-25", "1620", Decimal("-1804.65"), "", ""),
        ("2026-10-31", "4100", Decimal("1263.26"), "PROD", ""),
        ("2026-10-31", "1620", Decimal("-1263.26"), "", ""),
    ]
    assert sum(line.amount for line in lines) == 0
    assert journal.source == "nmbrs_rest" and journal.metadata["identity"] == {
        "kind": "journal", "company_number": "101", "year": 2026, "period": 10, "run_number": 10,
        "employee_number": None, "serial_number": None}


def test_a_period_is_fetched_as_many_tasks_in_flight_at_once(rest_app, source, company):
    state = rest_app.state
    state.polls_before_ready, state.document_delay = 2, 0.05  # each file: 202, 202, then the file
    waiting = []
    documents = source.documents(company, OCTOBER, ALL_KINDS, waiting=waiting)
    assert waiting == []
    assert Counter(d.kind for d in documents) == {DocumentKind.PAYSLIP: 3, DocumentKind.JOURNAL: 1,
                                                  DocumentKind.SEPA: 1, DocumentKind.WAGE_TAX_RETURN: 1}
    polls = Counter(r["path"] for r in state.requests_to("/api/documents/"))
    assert len(polls) == 6 and set(polls.values()) == {3}  # 6 tasks, each polled 3 times: 18 polls, no more
    assert len(state.requests_to("/payslipperperiod")) == 3  # one per employee of the run
    assert state.max_in_flight >= 4  # polls went side by side, not one after another
    payslip = next(d for d in documents if d.kind is DocumentKind.PAYSLIP)
    assert payslip.content.startswith(b"%PDF") and payslip.metadata["identity"]["employee_number"] == 1


def test_a_task_that_never_finishes_becomes_a_waiting_document(rest_app, client, company):
    rest_app.state.never_ready = {"journal"}
    source = NmbrsRestSource(client, polling=Polling(first_delay=0.01, max_delay=0.02, max_wait=0.2))
    waiting = []
    documents = source.documents(company, OCTOBER, [DocumentKind.JOURNAL, DocumentKind.SEPA], waiting=waiting)
    assert [d.kind for d in documents] == [DocumentKind.SEPA]
    [journal] = waiting
    assert (journal.kind, journal.reason, journal.status) == (DocumentKind.JOURNAL, WaitReason.NOT_READY,
                                                              "Document is being processed")
    run_id = client.runs(company.id, 2026)[9].id
    assert journal.source_id == f"nmbrs_rest:company:{company.id}:run:{run_id}:journal"
    assert "not ready after" in journal.detail
    assert len(rest_app.state.requests_to("/api/documents/")) < 40  # the polling stopped


def test_wage_tax_returns_follow_the_status_filter_and_the_rest_waits(source, company):
    waiting = []
    [october] = source.documents(company, OCTOBER, [DocumentKind.WAGE_TAX_RETURN], waiting=waiting)
    assert october.metadata["status"] == "Vergrendeld" and october.content.startswith(b"<?xml")
    assert source.documents(company, Period.month(2026, 11), [DocumentKind.WAGE_TAX_RETURN], waiting=waiting) == []
    [november] = waiting
    assert (november.reason, november.status) == (WaitReason.NOT_FINAL, "Aangemaakt")


def test_annual_statements_once_the_year_is_finished(source, company):
    finished = source.annual_statements(company, 2025)
    assert finished.skipped == "" and len(finished.documents) == 3
    assert {d.metadata["identity"]["employee_number"] for d in finished.documents} == {1, 2, 3}
    assert all(d.period.key == "2025-P00" and d.content.startswith(b"%PDF") for d in finished.documents)
    running = source.annual_statements(company, 2026)
    assert running.documents == [] and "not there or not locked" in running.skipped


def test_companies_are_found_through_their_debtor(source):
    companies = source.companies()
    assert sorted(c.number for c in companies) == ["101", "102", "201", "301"]
    assert all(len(c.id) == 36 and len(c.debtor_id) == 36 for c in companies)


@pytest.fixture
def soap_source():
    app = soap_sandbox.create_app()
    app.state.clock = lambda: date(2026, 11, 18)
    with SandboxServer(app) as server:
        client = NmbrsClient(NmbrsCredentials(soap_data.DEMO_USERNAME, soap_data.DEMO_TOKEN, soap_data.DEMO_DOMAIN),
                             f"{server.url}/soap/v3/", retry_delay=0)
        yield client


def test_rest_documents_carry_the_identity_the_soap_api_gives_for_them(source, company, soap_source):
    soap_company = next(c for c in soap_source.companies() if c.number == 101)
    soap_docs = NmbrsSource(soap_source).documents(soap_company.id, Period.month(2025, 3),
                                                   [DocumentKind.JOURNAL, DocumentKind.PAYSLIP])
    soap_identities = {DocumentIdentity(d.kind.value, soap_company.number, d.period.year, d.period.number,
                                        run_number=d.metadata["run_number"]) for d in soap_docs}
    rest_docs = source.documents(company, Period.month(2025, 3), [DocumentKind.JOURNAL, DocumentKind.PAYSLIP])
    rest_identities = [DocumentIdentity.from_dict(d.metadata["identity"]) for d in rest_docs]
    rest_journals = {i for i in rest_identities if i.kind == "journal"}
    assert rest_journals == {i for i in soap_identities if i.kind == "journal"}  # March 2025: the run and its correction
    assert len(rest_journals) == 2
    rest_payslips = [i for i in rest_identities if i.kind == "payslip"]
    assert sorted(i.employee_number for i in rest_payslips) == [1, 2, 3]
    # SOAP delivers the payslips of a run as one file: it covers each employee's REST payslip of that period.
    assert all(any(soap.covers(rest) for soap in soap_identities) for rest in rest_payslips)
    assert not DocumentIdentity("payslip", "102", 2025, 3).covers(rest_payslips[0])
