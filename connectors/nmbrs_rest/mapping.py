"""Nmbrs REST records and files -> `SourceDocument`s and `WaitingDocument`s.

Source ids are built from Nmbrs' REST ids (UUIDs: stable per document within this API); every
document also carries its `identity` (identity.py) in its metadata, the values SOAP gives too, so a
move from SOAP to REST can recognise what was booked before.
"""

from __future__ import annotations

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument, WaitReason
from connectors.nmbrs.journals import parse_journal
from connectors.nmbrs.mapping import RUN_KIND_TITLES, run_name
from connectors.nmbrs_rest.identity import DocumentIdentity
from connectors.nmbrs_rest.records import Company, EmployeeInRun, Run, WageTax

SOURCE = "nmbrs_rest"  # the key the portal registers this source under (ledger keys use it)
PAYSLIP_TITLE = "Loonstrook"
WAGE_TAX_TITLE = "Loonaangifte"
ANNUAL_STATEMENT_TITLE = "Jaaropgave"


def run_identity(company: Company, period: Period, run: Run, kind: DocumentKind) -> DocumentIdentity:
    return DocumentIdentity(kind.value, company.number, period.year, period.number, run_number=run.number)


def payslip_identity(company: Company, period: Period, employee: EmployeeInRun) -> DocumentIdentity:
    return DocumentIdentity(DocumentKind.PAYSLIP.value, company.number, period.year, period.number,
                            employee_number=employee.number)


def wage_tax_identity(company: Company, period: Period, wage_tax: WageTax) -> DocumentIdentity:
    return DocumentIdentity(DocumentKind.WAGE_TAX_RETURN.value, company.number, period.year, period.number,
                            serial_number=wage_tax.serial_number)


def annual_identity(company: Company, year: int, employee: EmployeeInRun) -> DocumentIdentity:
    return DocumentIdentity(DocumentKind.ANNUAL_DOCUMENT.value, company.number, year, 0,
                            employee_number=employee.number)


def run_source_id(company: Company, run: Run, kind: DocumentKind) -> str:
    return f"{SOURCE}:company:{company.id}:run:{run.id}:{kind.value}"


def payslip_source_id(company: Company, period: Period, employee: EmployeeInRun) -> str:
    return f"{SOURCE}:company:{company.id}:employee:{employee.id}:payslip:{period.key}"


def wage_tax_source_id(company: Company, wage_tax: WageTax) -> str:
    return f"{SOURCE}:company:{company.id}:wagetax:{wage_tax.id}"


def annual_source_id(company: Company, year: int, employee: EmployeeInRun) -> str:
    return f"{SOURCE}:company:{company.id}:employee:{employee.id}:annualstatement:{year}"


def _metadata(company: Company, identity: DocumentIdentity, **extra) -> dict:
    return {"company_id": company.id, "company_number": identity.company_number, "identity": identity.as_dict(),
            "identity_key": identity.key, **extra}


def _run_extra(run: Run) -> dict:
    return {"run_id": run.id, "run_number": run.number, "run_year": run.year, "run_description": run.description,
            "run_locked": run.is_locked, "run_created_at": run.created_at.isoformat() if run.created_at else ""}


def journal_document(company: Company, period: Period, run: Run, xml: bytes) -> SourceDocument:
    """The run's journal file is the XML layout SOAP gives (docs/vendors/nmbrs.md, "Journals"): one reader."""
    identity = run_identity(company, period, run, DocumentKind.JOURNAL)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.JOURNAL, source_id=run_source_id(company, run, DocumentKind.JOURNAL),
        period=period, title=f"{RUN_KIND_TITLES[DocumentKind.JOURNAL]} {period.key} ({run_name(run)})",
        journal_lines=parse_journal(xml, default_date=period.end),
        metadata=_metadata(company, identity, **_run_extra(run)))


def sepa_document(company: Company, period: Period, run: Run, xml: bytes) -> SourceDocument:
    identity = run_identity(company, period, run, DocumentKind.SEPA)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.SEPA, source_id=run_source_id(company, run, DocumentKind.SEPA),
        period=period, title=f"{RUN_KIND_TITLES[DocumentKind.SEPA]} {period.key} ({run_name(run)})",
        file_name=f"sepa_{identity.company_number}_{period.key}_run{run.number}.xml", content=xml,
        metadata=_metadata(company, identity, **_run_extra(run)))


def payslip_document(company: Company, period: Period, employee: EmployeeInRun, pdf: bytes) -> SourceDocument:
    identity = payslip_identity(company, period, employee)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.PAYSLIP, source_id=payslip_source_id(company, period, employee),
        period=period, title=f"{PAYSLIP_TITLE} {period.key} werknemer {employee.number}",
        file_name=f"loonstrook_{identity.company_number}_{period.key}_werknemer{employee.number}.pdf", content=pdf,
        metadata=_metadata(company, identity, employee_id=employee.id, employee_number=employee.number))


def wage_tax_document(company: Company, period: Period, wage_tax: WageTax, xml: bytes) -> SourceDocument:
    identity = wage_tax_identity(company, period, wage_tax)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN, source_id=wage_tax_source_id(company, wage_tax),
        period=period, title=f"{WAGE_TAX_TITLE} {period.key}",
        file_name=f"loonaangifte_{identity.company_number}_{period.key}_{wage_tax.serial_number}.xml", content=xml,
        metadata=_metadata(company, identity, wage_tax_id=wage_tax.id, status=wage_tax.status,
                           total_general=wage_tax.total_general, payment_reference=wage_tax.payment_reference,
                           sent_at=wage_tax.sent_at.isoformat() if wage_tax.sent_at else ""))


def annual_statement_document(company: Company, year: int, employee: EmployeeInRun, pdf: bytes) -> SourceDocument:
    identity = annual_identity(company, year, employee)
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.ANNUAL_DOCUMENT, source_id=annual_source_id(company, year, employee),
        period=Period.whole_year(year), title=f"{ANNUAL_STATEMENT_TITLE} {year} werknemer {employee.number}",
        file_name=f"jaaropgave_{identity.company_number}_{year}_werknemer{employee.number}.pdf", content=pdf,
        metadata=_metadata(company, identity, employee_id=employee.id, employee_number=employee.number))


def waiting(document_kind: DocumentKind, source_id: str, period: Period, title: str, reason: WaitReason,
            status: str = "", detail: str = "") -> WaitingDocument:
    return WaitingDocument(source=SOURCE, kind=document_kind, source_id=source_id, period=period, title=title,
                           reason=reason, status=status, detail=detail)


def waiting_wage_tax(company: Company, period: Period, wage_tax: WageTax, reason: WaitReason) -> WaitingDocument:
    return waiting(DocumentKind.WAGE_TAX_RETURN, wage_tax_source_id(company, wage_tax), period,
                   f"{WAGE_TAX_TITLE} {period.key}", reason, wage_tax.status)
