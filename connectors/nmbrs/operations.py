"""Which Nmbrs SOAP operation delivers which document kind: the one place to change for a move
to Nmbrs' REST API (docs/vendors/nmbrs.md: SOAP is expected to close "in the long run").

Operation and parameter names follow docs/vendors/nmbrs.md and the v2.1 WSDL, including the vendor's
inconsistent casing (`RunID` for payslips and SEPA, `RunId` for journals and annual documents;
`intYear` vs `Year`) and its misspellings in annual document names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from connectors.documents import DocumentKind
from connectors.nmbrs.client import NmbrsClient, pdf_bytes, text_bytes
from connectors.nmbrs.environments import COMPANY_SERVICE
from connectors.nmbrs.records import Run

PAYSLIPS = "SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2"  # all payslips of a run as one PDF
SEPA = "SalaryDocuments_GetSEPA"
JOURNAL = "Journals_GetByRunCompany_v2"  # per company (not per cost centre/department/employee)
WAGE_TAX_XML = "WageTax_GetXML"

# Document kinds fetched once per payroll run; wage tax returns are per return, annual documents per year.
RUN_DOCUMENT_KINDS = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.SEPA)


def fetch_payslips_pdf(client: NmbrsClient, company_id: int, run: Run) -> bytes:
    result = client.call(COMPANY_SERVICE, PAYSLIPS, CompanyId=company_id, RunID=run.id, intYear=run.year)
    return pdf_bytes(result, PAYSLIPS)


def fetch_sepa_xml(client: NmbrsClient, company_id: int, run: Run, payment_date: date) -> bytes:
    result = client.call(COMPANY_SERVICE, SEPA, CompanyId=company_id, RunID=run.id, Year=run.year,
                         paymentDate=datetime.combine(payment_date, datetime.min.time()))
    return text_bytes(result, SEPA)


def fetch_journal_xml(client: NmbrsClient, company_id: int, run: Run) -> bytes:
    result = client.call(COMPANY_SERVICE, JOURNAL, CompanyId=company_id, RunId=run.id, intYear=run.year)
    return text_bytes(result, JOURNAL)


def fetch_wage_tax_xml(client: NmbrsClient, company_id: int, wage_tax_id: int) -> bytes:
    result = client.call(COMPANY_SERVICE, WAGE_TAX_XML, LoonaangifteID=wage_tax_id, CompanyId=company_id)
    return text_bytes(result, WAGE_TAX_XML)


@dataclass(frozen=True)
class AnnualDocument:
    operation: str  # the Nmbrs operation, spelled as Nmbrs spells it
    slug: str  # ours: stable, used in source ids and file names
    title: str  # Dutch, as a bookkeeper knows the document


def _annual(name: str, slug: str, title: str) -> AnnualDocument:
    return AnnualDocument(f"SalaryDocuments_AnnualDocument_{name}", slug, title)


ANNUAL_DOCUMENTS = (
    _annual("AnualStatement", "annual-statements", "Jaaropgaven"),
    _annual("CompanyWageComponentsCumulative", "wage-components", "Looncomponenten bedrijf cumulatief"),
    _annual("JournalEntriesCompanyrCumulative", "journal-company", "Journaalposten bedrijf cumulatief"),
    _annual("JournalEntriesCostCenterCumulative", "journal-cost-centre", "Journaalposten per kostenplaats cumulatief"),
    _annual("JournalEntriesDepartmentCumulative", "journal-department", "Journaalposten per afdeling cumulatief"),
    _annual("JournalEntriesEmployeeCumulative", "journal-employee", "Journaalposten per werknemer cumulatief"),
    _annual("LeaveSaldos", "leave-balances", "Verlofsaldi"),
    _annual("PaymentListCumulative", "payment-list", "Betaallijst cumulatief"),
    _annual("PayrollRegister", "payroll-register", "Loonstaat"),
    _annual("PayrollRegisterAllEmployees", "payroll-register-all", "Loonstaat alle werknemers"),
    _annual("PayrollRegisterSummaryCumulative", "payroll-register-summary", "Loonstaat samenvatting cumulatief"),
    _annual("ReservationSaldos", "reservation-balances", "Reserveringssaldi"),
    _annual("SentWageTaxDeclarations", "sent-wage-tax-returns", "Verzonden loonaangiften"),
    _annual("WageTaxDeclarationOverviewByPeriod", "wage-tax-per-period", "Overzicht loonaangiften per periode"),
    _annual("WageTaxDeclarationOverviewCumulative", "wage-tax-cumulative", "Overzicht loonaangiften cumulatief"),
)


def annual_document(slug: str) -> AnnualDocument:
    for document in ANNUAL_DOCUMENTS:
        if document.slug == slug:
            return document
    raise KeyError(f"unknown Nmbrs annual document {slug!r}")


def fetch_annual_document_pdf(client: NmbrsClient, company_id: int, final_run: Run,
                              document: AnnualDocument) -> bytes:
    """Annual documents are asked for with the year's final run (the operations take a RunId)."""
    result = client.call(COMPANY_SERVICE, document.operation, CompanyId=company_id, RunId=final_run.id,
                         Year=final_run.year)
    return pdf_bytes(result, document.operation)
