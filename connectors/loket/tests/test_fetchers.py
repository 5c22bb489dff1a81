"""The fetchers against the sandbox's data: payslips, journal runs and wage tax returns of a period."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.documents import DocumentKind, Period, check_balanced
from connectors.loket.errors import RIGHT_TAX_RETURNS, LoketForbidden
from connectors.loket.fetchers import LoketSource
from connectors.loket.tests.fixtures import api_calls
from sandbox.loket import data

KORENSCHOOF = ("40123", "812345678L01")


@pytest.fixture
def source(client):
    return LoketSource(client)


def _previous(period: Period) -> Period:
    return Period.month(period.year - 1, 12) if period.number == 1 else Period.month(period.year, period.number - 1)


def _months_back(period: Period, months: int) -> Period:
    index = period.year * 12 + period.number - 1 - months
    return Period.month(index // 12, index % 12 + 1)


def test_payslips_one_pdf_per_employee_employed_in_the_period(source, this_month, korenschoof):
    docs = source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.PAYSLIP})
    # Pieter Bakker (1004) left three months ago: no payslip this month.
    assert [d.metadata["employee_number"] for d in docs] == ["1001", "1002", "1003"]
    for doc in docs:
        assert doc.source == "loket" and doc.kind is DocumentKind.PAYSLIP and doc.period == this_month
        assert doc.content.startswith(b"%PDF-") and doc.content.rstrip().endswith(b"%%EOF")
        assert doc.file_name == f"loonstrook-{this_month.key}-{doc.metadata['employee_number']}.pdf"
    first = docs[0]
    assert first.source_id == (f"loket:payslip:{korenschoof.employees[0].employment_id(korenschoof.id)}:"
                               f"{data.payroll_period_id(korenschoof, this_month.year, this_month.number)}")
    assert first.title == f"Loonstrook {this_month.key} Sanne de Vries (1001)"


def test_an_employee_who_left_still_has_payslips_for_months_worked(source, this_month):
    four_months_ago = _months_back(this_month, 4)
    docs = source.documents(*KORENSCHOOF, four_months_ago, kinds={DocumentKind.PAYSLIP})
    assert "1004" in [d.metadata["employee_number"] for d in docs]


def test_documents_have_stable_ids_and_hashes_across_fetches(source, this_month):
    first = source.documents(*KORENSCHOOF, this_month)
    second = source.documents(*KORENSCHOOF, this_month)
    assert [(d.source_id, d.content_hash) for d in first] == [(d.source_id, d.content_hash) for d in second]
    assert len({d.source_id for d in first}) == len(first)


def test_a_corrected_payslip_keeps_its_id_and_gets_a_new_hash(source, app, this_month, korenschoof):
    before = {d.source_id: d.content_hash for d in source.documents(*KORENSCHOOF, this_month, [DocumentKind.PAYSLIP])}
    employment = korenschoof.employees[1].employment_id(korenschoof.id)
    app.state.correct_payslip(employment, this_month.year, this_month.number)
    after = {d.source_id: d.content_hash for d in source.documents(*KORENSCHOOF, this_month, [DocumentKind.PAYSLIP])}
    assert before.keys() == after.keys()
    changed = [sid for sid in before if before[sid] != after[sid]]
    assert changed == [f"loket:payslip:{employment}:"
                       f"{data.payroll_period_id(korenschoof, this_month.year, this_month.number)}"]


def test_the_journal_of_a_period_balances_and_matches_loket_results(source, this_month, korenschoof, today):
    [journal] = source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.JOURNAL})
    run_id = data.guid("journalrun", korenschoof.id, this_month.year, this_month.number)
    assert journal.source_id == f"loket:journal:{run_id}" and journal.is_journal
    check_balanced(journal.journal_lines)
    assert {line.entry_date for line in journal.journal_lines} == {this_month.end}
    slips = data.payslips_of(korenschoof, this_month.year, this_month.number, today)
    gross = {line.cost_centre: line.amount for line in journal.journal_lines if line.gl_account == "4000"}
    assert gross == {centre: Decimal(sum(p.gross for e, p in slips if e.cost_centre == centre)) / 100
                     for centre in ("KC10", "KC20")}
    net = [line.amount for line in journal.journal_lines if line.gl_account == "1620"]
    assert net == [-Decimal(sum(p.net for _, p in slips)) / 100]
    assert journal.metadata["status"] == "Verwerkt"


def test_a_journal_run_still_processing_is_not_fetched(source, app, this_month, korenschoof):
    app.state.set_journal_run_status(korenschoof.id, this_month.year, this_month.number, 1)
    assert source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.JOURNAL}) == []
    assert api_calls(app, "/results") == []


def test_journal_queries_filter_on_the_period(source, app, this_month):
    source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.JOURNAL})
    [listing] = api_calls(app, "/journalruns")[:1]
    assert f"payrollRun.payrollPeriod.year+eq+{this_month.year}" in listing["query"]
    assert "consolidate=BasedOnLedgerAccountConfiguration" in api_calls(app, "/results")[0]["query"]


def test_wage_tax_returns_give_the_pdf_report_and_the_xml_message_with_status(source, this_month, korenschoof):
    previous = _previous(this_month)
    report, message = source.documents(*KORENSCHOOF, previous, kinds={DocumentKind.WAGE_TAX_RETURN})
    tax_return_id = data.guid("payrolltaxreturn", korenschoof.id, previous.year, previous.number)
    assert report.source_id == f"loket:wage_tax_return:{tax_return_id}:report"
    assert message.source_id == f"loket:wage_tax_return:{tax_return_id}:message"
    assert report.content.startswith(b"%PDF-") and report.file_name.endswith(".pdf")
    assert message.content.startswith(b"<?xml") and b"<LhNr>812345678L01</LhNr>" in message.content
    assert (report.metadata["part"], message.metadata["part"]) == ("report", "message")
    assert report.metadata["status"] == "Geaccepteerd"


def test_a_wage_tax_return_is_fetched_only_once_accepted(source, app, this_month):
    # This month's return is approved, not yet sent: its report (which prints the status) will still
    # change, and booking it now would book it again later as a new version.
    assert source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.WAGE_TAX_RETURN}) == []
    assert not api_calls(app, "/report"), "nothing downloaded for a return that is not final"


def test_last_months_wage_tax_return_was_accepted_and_its_total_matches_the_journal(source, this_month):
    previous = _previous(this_month)
    docs = source.documents(*KORENSCHOOF, previous, kinds={DocumentKind.WAGE_TAX_RETURN, DocumentKind.JOURNAL})
    journal = next(d for d in docs if d.kind is DocumentKind.JOURNAL)
    report = next(d for d in docs if d.metadata.get("part") == "report")
    assert report.metadata["status"] == "Geaccepteerd" and report.metadata["send_time"]
    due = -sum(line.amount for line in journal.journal_lines if line.gl_account == "1600")
    assert Decimal(report.metadata["total_amount"]) == due


def test_the_report_falls_back_to_the_deprecated_overview_endpoint(source, app, this_month):
    app.faults.add("http_error", vendor="loket", operation="GET */payrolltaxreturns/*/report", status=404,
                   headers={"Content-Type": "application/json"}, body='{"messages": []}', times=0)
    report, _ = source.documents(*KORENSCHOOF, _previous(this_month), kinds={DocumentKind.WAGE_TAX_RETURN})
    assert report.content.startswith(b"%PDF-")
    assert len(api_calls(app, "/overview")) == 1


def test_a_missing_right_stops_the_fetch_with_the_right_named(source, app, this_month):
    app.state.revoke_right(data.RIGHT_TAX_RETURNS)
    with pytest.raises(LoketForbidden) as caught:
        source.documents(*KORENSCHOOF, this_month)
    assert caught.value.missing_right == RIGHT_TAX_RETURNS


def test_a_period_loket_does_not_have_yields_nothing(source):
    assert source.documents(*KORENSCHOOF, Period.month(2001, 1)) == []


def test_all_kinds_of_every_employer_for_the_demo(source, this_month):
    for numbers, employees in ((KORENSCHOOF, 3), (("40124", "823456705L01"), 3), (("40125", "834567891L02"), 5)):
        docs = source.documents(*numbers, this_month)
        kinds = [d.kind for d in docs]
        assert kinds.count(DocumentKind.PAYSLIP) == employees
        assert kinds.count(DocumentKind.JOURNAL) == 1 and kinds.count(DocumentKind.WAGE_TAX_RETURN) == 0
        accepted = source.documents(*numbers, _previous(this_month), kinds={DocumentKind.WAGE_TAX_RETURN})
        assert len(accepted) == 2, "last month's accepted return: report and message"


def test_payslip_pdfs_use_the_period_id_of_the_downloads_own_metadata_read_once(source, app, this_month,
                                                                                korenschoof):
    docs = source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.PAYSLIP})

    downloads = [call["path"] for call in api_calls(app, "/payslips/summary/") if "/metadata" not in call["path"]]
    summary_id = data.payslip_summary_id(korenschoof.id, this_month.year, this_month.number)
    assert summary_id != data.payroll_period_id(korenschoof, this_month.year, this_month.number)
    expected = [f"/api/v2/providers/employers/employees/employments/{employee.employment_id(korenschoof.id)}"
                f"/payslips/summary/{summary_id}" for employee in korenschoof.employees[:3]]
    assert downloads == expected
    assert [d.metadata["summary_period_id"] for d in docs] == [str(summary_id)] * 3
    metadata = api_calls(app, "/payslips/summary/metadata")
    assert len(metadata) == 1, "the metadata lists the employer's periods: one read per administration"


def test_payslip_period_ids_per_employment_fall_back_to_each_employments_metadata(source, app, this_month,
                                                                                   korenschoof):
    app.state.summary_ids_per_employment = True
    docs = source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.PAYSLIP})

    expected = [str(data.payslip_summary_id(employee.employment_id(korenschoof.id), this_month.year,
                                            this_month.number)) for employee in korenschoof.employees[:3]]
    assert [d.metadata["summary_period_id"] for d in docs] == expected
    assert all(d.content.startswith(b"%PDF-") for d in docs)
    # The first shared id is refused once (404); from then on each employment reads its own metadata.
    assert len(api_calls(app, "/payslips/summary/metadata")) == 3
    downloads = [c for c in api_calls(app, "/payslips/summary/") if "/metadata" not in c["path"]]
    assert len(downloads) == 4


def test_every_list_asks_for_an_explicit_page_size(source, app, this_month):
    from urllib.parse import parse_qs

    source.documents(*KORENSCHOOF, this_month)
    lists = [parse_qs(c["query"]) for c in app.state.requests if "pageNumber" in c.get("query", "")]
    assert lists and all(q["pageSize"] == ["250"] for q in lists)


def test_the_payroll_periods_id_is_not_a_payslip_period_id(client, korenschoof, this_month):
    from connectors.loket import endpoints
    from connectors.loket.errors import LoketNotFound

    employment = korenschoof.employees[0].employment_id(korenschoof.id)
    wrong = endpoints.path(endpoints.PAYSLIP_PDF, employment_id=employment,
                           payroll_period_id=data.payroll_period_id(korenschoof, this_month.year, this_month.number))
    with pytest.raises(LoketNotFound):
        client.get_file(wrong, endpoints.MEDIA_PDF)


def test_an_unreadable_payslip_period_list_is_reported_not_skipped(source, app, this_month, monkeypatch):
    from connectors.loket.errors import LoketDataError
    from sandbox.loket import api
    from sandbox.loket.envelope import detail

    index = next(i for i, route in enumerate(api.ROUTES) if route[1] is api.payslip_summary_metadata)
    pattern, _handler, *rest = api.ROUTES[index]
    unreadable = lambda call, employment_id: detail({"payrollPeriod": [{"key": 7, "value": "november"}]})  # noqa: E731
    monkeypatch.setattr(api, "ROUTES", [*api.ROUTES[:index], (pattern, unreadable, *rest), *api.ROUTES[index + 1:]])
    with pytest.raises(LoketDataError, match="none recognisable as"):
        source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.PAYSLIP})


def test_every_request_of_a_full_fetch_uses_only_declared_query_parameters(source, app, this_month):
    from urllib.parse import parse_qs

    from sandbox.loket.api import declared_parameters

    source.documents(*KORENSCHOOF, this_month)
    source.documents(*KORENSCHOOF, _previous(this_month))
    assert app.state.requests
    for call in app.state.requests:
        path = call["path"].removeprefix("/api/v2")
        sent = set(parse_qs(call["query"]))
        assert sent <= declared_parameters("/api/v2" + path), (path, sent)


def test_downloads_ask_for_their_file_type_and_employments_for_their_resource_version(source, app, this_month):
    source.documents(*KORENSCHOOF, _previous(this_month))
    accepts = {(call["path"].rsplit("/", 1)[-1] if "summary" not in call["path"] else "summary"): call["accept"]
               for call in app.state.requests}
    assert accepts["summary"] == "application/pdf"
    assert accepts["report"] == "application/pdf"
    assert accepts["message"] == "application/xml"
    assert accepts["employments"] == "application/json;version=2019-12-16"
    assert accepts["payrollperiods"] == "application/json;version=2018-01-01"


def test_the_wage_tax_returns_of_two_months_come_from_one_list_call_per_year(client, app, this_month):
    from urllib.parse import parse_qs

    source = LoketSource(client, one_import=True)
    previous = _previous(this_month)
    assert source.documents(*KORENSCHOOF, this_month, kinds={DocumentKind.WAGE_TAX_RETURN}) == []
    assert len(source.documents(*KORENSCHOOF, previous, kinds={DocumentKind.WAGE_TAX_RETURN})) == 2
    lists = [parse_qs(c["query"]) for c in app.state.requests if c["path"].endswith("/payrolltaxreturns")]
    years = {this_month.year, previous.year}
    assert len(lists) == len(years), "one list per year, whatever the number of months asked"
    assert sorted(q["filter"][0] for q in lists) == sorted(f"period.year eq {year}" for year in years)


def test_a_source_for_more_than_one_import_reads_the_list_again(source, app, this_month):
    previous = _previous(this_month)
    source.documents(*KORENSCHOOF, previous, kinds={DocumentKind.WAGE_TAX_RETURN})
    source.documents(*KORENSCHOOF, previous, kinds={DocumentKind.WAGE_TAX_RETURN})
    assert len([c for c in app.state.requests if c["path"].endswith("/payrolltaxreturns")]) == 2
