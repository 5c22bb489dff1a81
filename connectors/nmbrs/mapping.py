"""Nmbrs records and files -> `SourceDocument`s, the same typed documents the Loket connector gives.

Source ids are stable per document (company + run + kind, company + wage tax return, company +
year + annual document), so a re-fetch of a corrected document keeps its id and changes only its
content hash.
"""

from __future__ import annotations

from datetime import date, timedelta

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument, WaitReason
from connectors.nmbrs.journals import parse_journal
from connectors.nmbrs.operations import AnnualDocument
from connectors.nmbrs.records import Run, WageTaxReturn
from connectors.texts import format_period

# The key the portal registers this source under; every document carries it (ledger keys use it).
SOURCE = "nmbrs"

RUN_KIND_TITLES = {
    DocumentKind.PAYSLIP: "Loonstroken",
    DocumentKind.JOURNAL: "Journaalpost salarissen",
    DocumentKind.SEPA: "SEPA-betaalbestand salarissen",
}
# Nmbrs describes a monthly run by its month, capitalised as English does ("December 2026"); Dutch writes
# month names in lower case, so such a description is written in the portal's own period format.
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
RUN_KIND_FILES = {DocumentKind.PAYSLIP: ("loonstroken", "pdf"), DocumentKind.SEPA: ("sepa", "xml")}


def four_weekly_period(year: int, number: int) -> Period:
    """Period `number` (1-13) of a 4-weekly payroll: 28-day blocks from the Monday of ISO week 1.
    (The common Dutch convention; Nmbrs does not publish its own, so confirm on a real account.)"""
    start = date.fromisocalendar(year, 1, 1) + timedelta(days=28 * (number - 1))
    return Period(year, number, start, start + timedelta(days=27))


def year_period(year: int) -> Period:
    """The whole year, for annual documents (key 'YYYY-P00')."""
    return Period.whole_year(year)


def run_source_id(company_id: int, run: Run, kind: DocumentKind) -> str:
    return f"nmbrs:company:{company_id}:run:{run.id}:{kind.value}"


def wage_tax_source_id(company_id: int, wage_tax: WageTaxReturn) -> str:
    return f"nmbrs:company:{company_id}:wagetax:{wage_tax.id}"


def annual_source_id(company_id: int, year: int, document: AnnualDocument) -> str:
    return f"nmbrs:company:{company_id}:annual:{year}:{document.slug}"


def run_name(run: Run) -> str:
    """The run as a person calls it: Nmbrs's description ("Correctie maart 2026"), a description that only
    names a month in the portal's period format ("december 2026", not "December 2026"), else "run N"."""
    description = run.description.strip()
    if not description:
        return f"run {run.number}"
    words = description.split()
    if len(words) == 2 and words[0].casefold() in MONTHS_NL and words[1] == str(run.year):
        return format_period(Period.month(run.year, MONTHS_NL.index(words[0].casefold()) + 1).key)
    return description


def _run_metadata(company_id: int, run: Run) -> dict:
    return {"company_id": company_id, "run_id": run.id, "run_number": run.number, "run_year": run.year,
            "run_description": run.description, "run_locked": run.is_locked,
            "run_at": run.run_at.isoformat() if run.run_at else ""}


def run_file_document(company_id: int, period: Period, run: Run, kind: DocumentKind, content: bytes) -> SourceDocument:
    stem, extension = RUN_KIND_FILES[kind]
    return SourceDocument(
        source=SOURCE, kind=kind, source_id=run_source_id(company_id, run, kind), period=period,
        title=f"{RUN_KIND_TITLES[kind]} {period.key} ({run_name(run)})",
        file_name=f"{stem}_{company_id}_{period.key}_run{run.number}.{extension}", content=content,
        metadata=_run_metadata(company_id, run),
    )


def journal_document(company_id: int, period: Period, run: Run, xml: bytes) -> SourceDocument:
    lines = parse_journal(xml, default_date=period.end)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.JOURNAL,
        source_id=run_source_id(company_id, run, DocumentKind.JOURNAL), period=period,
        title=f"{RUN_KIND_TITLES[DocumentKind.JOURNAL]} {period.key} ({run_name(run)})",
        journal_lines=lines, metadata=_run_metadata(company_id, run),
    )


def wage_tax_document(company_id: int, period: Period, wage_tax: WageTaxReturn, xml: bytes) -> SourceDocument:
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN, source_id=wage_tax_source_id(company_id, wage_tax),
        period=period, title=f"Loonaangifte {period.key}",
        file_name=f"loonaangifte_{company_id}_{period.key}_{wage_tax.id}.xml", content=xml,
        metadata={"company_id": company_id, "wage_tax_id": wage_tax.id, "serial_number": wage_tax.serial_number,
                  "status": wage_tax.status,
                  "total_general": wage_tax.total_general, "payment_reference": wage_tax.payment_reference,
                  "sent_at": wage_tax.sent_at.isoformat() if wage_tax.sent_at else ""},
    )


def waiting_wage_tax(company_id: int, period: Period, wage_tax: WageTaxReturn, reason: WaitReason) -> WaitingDocument:
    """A return the status filter does not take now: under the key its document will have."""
    return WaitingDocument(
        source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN, source_id=wage_tax_source_id(company_id, wage_tax),
        period=period, title=f"Loonaangifte {period.key}", reason=reason, status=wage_tax.status or "")


def annual_document_source(company_id: int, year: int, final_run: Run, document: AnnualDocument,
                           content: bytes) -> SourceDocument:
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.ANNUAL_DOCUMENT,
        source_id=annual_source_id(company_id, year, document), period=year_period(year),
        title=f"{document.title} {year}", file_name=f"jaarwerk_{document.slug}_{company_id}_{year}.pdf",
        content=content,
        metadata={"company_id": company_id, "annual_document": document.slug, "operation": document.operation,
                  **{k: v for k, v in _run_metadata(company_id, final_run).items() if k != "company_id"}},
    )
