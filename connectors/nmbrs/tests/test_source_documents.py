"""NmbrsSource.documents: the import engine's view, fetched from the sandbox over HTTP."""

from decimal import Decimal

import pytest

from connectors.documents import DocumentKind, Period, check_balanced
from connectors.nmbrs.errors import MissingApiRights
from connectors.nmbrs.source import NmbrsSource
from sandbox.nmbrs import data

from .checks import assert_valid_pdf, iban_is_valid, sepa_summary

ALL_PERIODIC = [DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.SEPA, DocumentKind.WAGE_TAX_RETURN]


def month(today, back=0) -> Period:
    y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
    return Period.month(y, m + 1)


def by_kind(documents):
    out = {}
    for d in documents:
        out.setdefault(d.kind, []).append(d)
    return out


def test_current_month_payslips_journal_and_sepa_of_the_run(source, today):
    period = month(today)
    docs = by_kind(source.documents(50001, period, [DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.SEPA]))
    (payslips,), (journal,), (sepa,) = docs[DocumentKind.PAYSLIP], docs[DocumentKind.JOURNAL], docs[DocumentKind.SEPA]
    for d in (payslips, journal, sepa):
        assert d.source == "nmbrs" and d.period == period
    assert assert_valid_pdf(payslips.content) == 3  # one page per employee of Bakkerij Jansen
    assert payslips.file_name.endswith(".pdf") and sepa.file_name.endswith(".xml")
    assert payslips.metadata["company_id"] == 50001 and payslips.metadata["run_locked"] is False


def test_one_journal_per_run_holds_every_transaction_balanced_per_date_with_its_cost_centres(source, today):
    period = month(today, back=2)
    (journal,) = source.documents(50001, period, [DocumentKind.JOURNAL])
    check_balanced(journal.journal_lines)
    gross = [line for line in journal.journal_lines if line.gl_account == "4000"]
    assert {line.cost_centre for line in gross} == {"PROD", "VERK"}
    assert all(line.amount > 0 for line in gross)  # debits positive
    payables = [line for line in journal.journal_lines if line.gl_account in ("1610", "1620")]
    assert all(line.amount < 0 and line.cost_centre == "" for line in payables)  # empty dim2: no cost centre
    assert all(line.cost_unit == "" for line in journal.journal_lines)  # the sandbox has no cost units
    # Two transactions: the wages on the 25th, the employer charges on the period end.
    salary_day = period.end.replace(day=25)
    assert {line.entry_date for line in journal.journal_lines if line.gl_account in ("4000", "1610")} == {salary_day}
    assert {line.entry_date for line in journal.journal_lines if line.gl_account == "4100"} == {period.end}
    assert all(line.description for line in journal.journal_lines)


def test_sepa_pays_the_net_wages_on_the_period_end(source, today):
    period = month(today, back=1)
    (sepa,) = source.documents(50003, period, [DocumentKind.SEPA])
    (journal,) = source.documents(50003, period, [DocumentKind.JOURNAL])
    summary = sepa_summary(sepa.content)
    net = -sum((line.amount for line in journal.journal_lines if line.gl_account == "1610"), Decimal("0"))
    assert summary["control_sum"] == sum(summary["amounts"]) == net
    assert summary["count"] == len(data.COMPANIES[2].employees)
    assert summary["execution_date"] == period.end.isoformat()
    assert summary["purpose"] == "SALA"
    assert all(iban_is_valid(iban) for iban in summary["ibans"])


def test_only_locked_wage_tax_returns_by_default(source, today, nmbrs_app):
    locked_month = month(today, back=1)  # last period is locked in the sandbox
    (wage_tax,) = source.documents(50002, locked_month, [DocumentKind.WAGE_TAX_RETURN])
    assert wage_tax.metadata["status"] == "Vergrendeld"
    assert b"<LhNr>812345679L01</LhNr>" in wage_tax.content
    assert source.documents(50002, month(today), [DocumentKind.WAGE_TAX_RETURN]) == []  # still "Aangemaakt"
    assert [c.operation for c in nmbrs_app.state.calls].count("WageTax_GetXML") == 1


def test_wage_tax_status_is_selectable_or_all(source, today):
    year_ago = [Period.month(today.year - 1, m) for m in range(1, 13)]
    sent = [d for p in year_ago for d in source.documents(50001, p, [DocumentKind.WAGE_TAX_RETURN],
                                                           wage_tax_status="sent")]
    assert sent and {d.metadata["status"] for d in sent} == {"Verzonden"}
    every = source.documents(50001, month(today), [DocumentKind.WAGE_TAX_RETURN], wage_tax_status=None)
    assert [d.metadata["status"] for d in every] == ["Aangemaakt"]
    both = source.documents(50001, year_ago[2], [DocumentKind.WAGE_TAX_RETURN], wage_tax_status=["locked", "sent"])
    assert len(both) == 1


def test_source_ids_are_stable_and_a_correction_changes_only_the_hash(source, today, nmbrs_app):
    period = month(today, back=1)
    first = {d.source_id: d.content_hash for d in source.documents(50001, period, ALL_PERIODIC, None)}
    again = {d.source_id: d.content_hash for d in source.documents(50001, period, ALL_PERIODIC, None)}
    assert first == again and len(first) == 4
    (run,) = source.runs_in(50001, period)
    nmbrs_app.state.correct_run(50001, run.id)
    corrected = {d.source_id: d.content_hash for d in source.documents(50001, period, ALL_PERIODIC, None)}
    assert corrected.keys() == first.keys()
    assert all(corrected[k] != first[k] for k in first)  # payslips, journal, SEPA and wage tax all changed


def test_a_period_with_a_correction_run_gives_documents_per_run(source, today):
    march = Period.month(today.year - 1, 3)
    payslips = source.documents(50001, march, [DocumentKind.PAYSLIP])
    assert len(payslips) == 2 and len({d.source_id for d in payslips}) == 2
    assert assert_valid_pdf(payslips[1].content) == 1  # the correction paid one employee


def test_no_runs_in_the_period_gives_no_documents(source, today):
    assert source.documents(50001, Period.month(today.year - 3, 1), ALL_PERIODIC) == []


def test_annual_documents_are_not_fetched_per_period(source, today):
    with pytest.raises(ValueError, match="annual_documents"):
        source.documents(50001, month(today), [DocumentKind.ANNUAL_DOCUMENT])


def test_missing_rights_on_a_document_operation_stops_with_the_typed_error(make_client, today):
    limited = NmbrsSource(make_client(data.NO_API_RIGHTS_USERNAME, data.NO_API_RIGHTS_TOKEN))
    with pytest.raises(MissingApiRights) as info:
        limited.documents(50001, month(today), [DocumentKind.PAYSLIP])
    assert info.value.operation == "Run_GetList"


def test_the_default_filter_locked_takes_exactly_the_locked_returns(source, today):
    # The Nmbrs guide: by default only returns "with the status 'locked'" are fetched
    # (docs/vendors/nmbrs.md); a firm that wants sent returns too adds that status to its filter.
    year_ago = [Period.month(today.year - 1, m) for m in range(1, 13)]
    taken = [d for p in year_ago for d in source.documents(50001, p, [DocumentKind.WAGE_TAX_RETURN])]
    assert taken and {d.metadata["status"] for d in taken} == {"Vergrendeld"}


def test_a_status_text_we_do_not_know_is_not_taken_and_is_named_in_the_log(source, today, nmbrs_app, monkeypatch,
                                                                             caplog):
    from sandbox.nmbrs import payroll

    monkeypatch.setattr(payroll, "wage_tax_status", lambda year, month_, today_: "Klaargezet voor verzending")
    with caplog.at_level("WARNING", logger="connectors.nmbrs.source"):
        assert source.documents(50002, month(today, back=1), [DocumentKind.WAGE_TAX_RETURN]) == []
    assert "'Klaargezet voor verzending'" in caplog.text and "does not know" in caplog.text


def test_one_import_lists_runs_and_wage_tax_returns_once_per_company_and_year(client, today, nmbrs_app):
    one_import = NmbrsSource(client, one_import=True)
    current, previous = month(today), month(today, back=1)
    one_import.documents(50002, current, ALL_PERIODIC)
    (wage_tax,) = one_import.documents(50002, previous, [DocumentKind.WAGE_TAX_RETURN])
    assert wage_tax.metadata["status"] == "Vergrendeld"
    operations = [c.operation for c in nmbrs_app.state.calls]
    years = len({current.year, previous.year})
    assert operations.count("WageTax_GetList") == years and operations.count("Run_GetList") == 1


def test_a_source_for_more_than_one_import_lists_again(source, today, nmbrs_app):
    previous = month(today, back=1)
    source.documents(50002, previous, [DocumentKind.WAGE_TAX_RETURN])
    source.documents(50002, previous, [DocumentKind.WAGE_TAX_RETURN])
    assert [c.operation for c in nmbrs_app.state.calls].count("WageTax_GetList") == 2
