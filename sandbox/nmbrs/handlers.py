"""What each sandbox operation answers. Auth is checked before these run (see app.py); these
check access to the debtor or company (fault 1003) and existence (2046) like Nmbrs does."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal

from sandbox import stamps
from sandbox.nmbrs import data, files
from sandbox.nmbrs.schema import ANNUAL_DOCUMENT_OPERATIONS
from sandbox.nmbrs.state import NmbrsState


class NmbrsFault(Exception):
    """A fault the sandbox answers in Nmbrs' words: faultstring '... ---> <code>: <message>'."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# The public SDK's texts (docs/vendors/nmbrs.md): 2004/2009 "no rights to the company/debtor you use
# the method for, make sure you have the correct ID"; 1003 "no rights for the debtor or company,
# review access rights by tags/filters". So: an ID that is no company/debtor of the environment is
# 2004/2009, one that exists but is hidden from the user is 1003.
def _company(state: NmbrsState, user: data.ApiUser, company_id: int) -> data.Company:
    company = state.company(company_id)
    if company is None:
        raise NmbrsFault(2004, f"Unauthorized access: company {company_id}")
    if company not in state.visible_companies(user):
        raise NmbrsFault(1003, f"Authorization data: no access to company {company_id}")
    return company


def _run(state: NmbrsState, company: data.Company, run_id: int, year: int | None):
    run = state.run(company, run_id, year)
    if run is None:
        raise NmbrsFault(2046, f"Run {run_id} not found for company {company.id} in year {year}")
    return run


def _company_row(c: data.Company) -> dict:
    return {"ID": c.id, "Number": c.number, "Name": c.name, "PhoneNumber": "", "FaxNumber": "", "Email": c.email,
            "Website": "", "LoonaangifteTijdvak": "Month", "KvkNr": c.kvk}


def debtors_list_all(state, user, params):
    return [{"Id": d.id, "Number": d.number, "Name": d.name} for d in state.visible_debtors(user)]


def companies_list_all(state, user, params):
    return [_company_row(c) for c in state.visible_companies(user)]


def companies_by_debtor(state, user, params):
    debtor_id = params["DebtorId"]
    if not any(d.id == debtor_id for d in state.debtors):
        raise NmbrsFault(2009, f"Unauthorized access: debtor {debtor_id}")
    if not any(d.id == debtor_id for d in state.visible_debtors(user)):
        raise NmbrsFault(1003, f"Authorization data: no access to debtor {debtor_id}")
    return [_company_row(c) for c in state.visible_companies(user) if c.debtor_id == debtor_id]


def run_list(state, user, params):
    company = _company(state, user, params["CompanyId"])
    return [{"ID": r.id, "Number": r.number, "Year": r.year, "PeriodStart": r.period_start,
             "PeriodEnd": r.period_end, "Description": r.description, "RunAt": r.run_at,
             "IsLocked": r.is_locked} for r in state.runs(company, params["Year"])]


def wage_tax_list(state, user, params):
    company = _company(state, user, params["CompanyId"])
    return [{"LoonaangifteID": w.id, "SerialNumber": w.serial_number, "PaymentReference": w.payment_reference,
             "TotalGeneral": w.total_general, "Period": w.period, "Year": w.year, "Status": w.status,
             "SentAt": w.sent_at, "TijdvakStart": w.start, "TijdvakEnd": w.end,
             "CorrectionTijdvakStart": None, "CorrectionTijdvakEnd": None}
            for w in state.wage_tax_returns(company, params["intYear"])]


def wage_tax_xml(state, user, params):
    company = _company(state, user, params["CompanyId"])
    wage_tax = state.wage_tax_return(company, params["LoonaangifteID"])
    if wage_tax is None:
        raise NmbrsFault(2046, f"Wage tax declaration {params['LoonaangifteID']} not found")
    return files.wage_tax_xml(company, wage_tax, state.month_pay_lines(company, wage_tax.year, wage_tax.period))


def payslips_pdf(state, user, params):
    company = _company(state, user, params["CompanyId"])
    run = _run(state, company, params["RunID"], params["intYear"])
    return {"PDF": files.payslips_pdf(company, run, state.pay_lines(company, run))}


def sepa(state, user, params):
    company = _company(state, user, params["CompanyId"])
    run = _run(state, company, params["RunID"], params["Year"])
    payment_date: datetime = params["paymentDate"]
    return files.sepa_xml(company, run, payment_date.date(), state.pay_lines(company, run),
                          created=stamps.now().replace(tzinfo=None)).decode()


def journal(state, user, params):
    company = _company(state, user, params["CompanyId"])
    run = _run(state, company, params["RunId"], params["intYear"])
    if (company.id, run.id) in state.journal_texts:  # a test gave this run's journal as Nmbrs would
        return state.journal_texts[(company.id, run.id)]
    period_end = date(run.year, run.period_end, calendar.monthrange(run.year, run.period_end)[1])
    return files.journal_xml(run, state.pay_lines(company, run), period_end)


def annual_document(operation: str):
    def handler(state, user, params):
        company = _company(state, user, params["CompanyId"])
        run = _run(state, company, params["RunId"], params["Year"])
        lines = [line for r in state.runs(company, run.year) for line in state.pay_lines(company, r)]
        totals = {
            "Brutolonen": sum((line.gross for line in lines), Decimal("0")),
            "Loonheffing": sum((line.wage_tax for line in lines), Decimal("0")),
            "Nettolonen": sum((line.net for line in lines), Decimal("0")),
        }
        return {"PDF": files.annual_document_pdf(company, operation, run.year, totals)}

    return handler


HANDLERS = {
    ("DebtorService", "List_GetAll"): debtors_list_all,
    ("CompanyService", "List_GetAll"): companies_list_all,
    ("CompanyService", "List_GetByDebtor"): companies_by_debtor,
    ("CompanyService", "Run_GetList"): run_list,
    ("CompanyService", "WageTax_GetList"): wage_tax_list,
    ("CompanyService", "WageTax_GetXML"): wage_tax_xml,
    ("CompanyService", "SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2"): payslips_pdf,
    ("CompanyService", "SalaryDocuments_GetSEPA"): sepa,
    ("CompanyService", "Journals_GetByRunCompany_v2"): journal,
    **{("CompanyService", name): annual_document(name) for name in ANNUAL_DOCUMENT_OPERATIONS},
}
