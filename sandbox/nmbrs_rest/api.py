"""The sandbox's api.nmbrsapp.com: the reads and document tasks the connector uses, shaped as the spec.

Checks in the order a gateway would (docs/vendors/nmbrs-rest.md): the subscription key (401), the burst
limit (429 + Retry-After), the bearer token (401), the scope the operation's `security` names (403).
The 401 for a key and the 403 for a scope are our guesses at Nmbrs' words ("Guesses" in that doc).
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import date, datetime

from sandbox import stamps
from sandbox.nmbrs import files
from sandbox.nmbrs_rest import data, documents, lookups
from sandbox.nmbrs_rest.state import RestState
from sandbox.nmbrs_rest.web import Response, error, file_response, json_response, query

_ID = r"(?P<{}>[0-9a-f-]{{36}})"
ROUTES = [(re.compile(pattern.format(
    company=_ID.format("company"), run=_ID.format("run"), debtor=_ID.format("debtor"),
    employee=_ID.format("employee"), wagetax=_ID.format("wagetax"), task=_ID.format("task"))), scope, name)
    for pattern, scope, name in (
        (r"/api/user/info", "user.info.read", "user_info"),
        (r"/api/debtors", "company.info.read", "debtors"),
        (r"/api/debtors/{debtor}/companies", "company.info.read", "companies"),
        (r"/api/companies/{company}/runs", "company.payrollsettings.read", "runs"),
        (r"/api/companies/{company}/runs/{run}/employees", "company.payrollsettings.read", "run_employees"),
        (r"/api/companies/{company}/wagetaxes", "company.payrollsettings.read", "wage_taxes"),
        (r"/api/companies/{company}/runs/{run}/journals", "company.document.read", "journal"),
        (r"/api/companies/{company}/runs/{run}/sepa", "company.document.read", "sepa"),
        (r"/api/companies/{company}/wagetaxes/{wagetax}/xml", "company.document.read", "wage_tax_xml"),
        (r"/api/employees/{employee}/payslipperperiod", "employee.document.read", "payslip"),
        (r"/api/employees/{employee}/annualstatement", "employee.document.read", "annual_statement"),
        (r"/api/documents/{task}", "document.read", "document"),
    )]


class NotFoundError(Exception):
    pass


def handle(environ, state: RestState, path: str) -> Response:
    key = environ.get("HTTP_X_SUBSCRIPTION_KEY", "")
    if key not in state.subscription_keys:
        said = "missing" if not key else "invalid"
        return error(401, 40105, "Invalid_Subscription_Key", f"Access denied due to {said} subscription key. Make "
                     "sure to provide a valid key for an active subscription.")
    if state.over_burst():
        return error(429, 42908, "Too_Many_Calls", "The amount of calls is above the threshold for your "
                     "subscription plan.", [("Retry-After", str(state.retry_after))])
    bearer = environ.get("HTTP_AUTHORIZATION", "")
    if not bearer.startswith("Bearer "):
        return error(401, 40101, "Missing_Token", "Token is missing on the authentication")
    found = state.token(bearer[7:])
    if found is None:
        return error(401, 40102, "Invalid_Token", "Token is invalid.")
    username, granted = found
    for pattern, scope, name in ROUTES:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        if scope not in granted:
            return error(403, 40301, "Insufficient_Scope", f"The token lacks the scope {scope}.",
                         [("WWW-Authenticate", f'Bearer error="insufficient_scope", scope="{scope}"')])
        try:
            return _HANDLERS[name](state, username, query(environ), **match.groupdict())
        except NotFoundError as missing:
            return error(404, 40401, "Not_Found", str(missing) or "The requested resource could not be found.")
        except ValueError:
            return error(400, 40033, "Parameter_Invalid", "Invalid parameter.")
    return error(404, 40401, "Not_Found", "The requested resource could not be found.")


# --- lookups --------------------------------------------------------------------------------------

def _company(state: RestState, company_uid: str):
    company = lookups.index(state.payroll.companies).by_company_uid.get(company_uid)
    if company is not None:
        return company
    raise NotFoundError("Company not found. Check if the company Id is correct.")


def _year(params: dict, state: RestState) -> int:
    return int(params["year"]) if params.get("year") else state.payroll.today().year


def _run(state: RestState, company, run_uid: str, year: int):
    for run in state.payroll.runs(company, year):
        if data.run_uid(run.id) == run_uid:
            return run
    raise NotFoundError("Payroll run not found.")


def _employee(state: RestState, employee_uid: str):
    found = lookups.index(state.payroll.companies).by_employee_uid.get(employee_uid)
    if found is not None:
        return found
    raise NotFoundError("Employee not found.")


def _wage_tax(state: RestState, company, wage_tax_uid: str):
    today = state.payroll.today()
    for year in range(today.year - 1, today.year + 1):
        for wage_tax in state.payroll.wage_tax_returns(company, year):
            if data.wage_tax_uid(wage_tax.id) == wage_tax_uid:
                return wage_tax
    raise NotFoundError("Wage tax declaration not found.")


def _page(environ_params: dict, items: list) -> Response:
    number = int(environ_params.get("pageNumber") or 1)
    size = int(environ_params.get("pageSize") or 20)
    if number < 1 or not 1 <= size <= 100:
        raise ValueError("page")
    pages = max(1, -(-len(items) // size))
    return json_response({"pagination": {"pageNumber": number, "pageSize": size, "totalPages": pages,
                                         "totalRecords": len(items)},
                          "data": items[(number - 1) * size:number * size]})


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- handlers -------------------------------------------------------------------------------------

def user_info(state, username, params):
    debtor = state.payroll.debtors[0]
    return _page(params, [{"name": "Koppeling Demokantoor", "email": username, "language": "NL",
                           "debtorId": data.debtor_uid(debtor.id), "userId": data.user_uid(username)}])


def debtors(state, username, params):
    return _page(params, [{"debtorId": data.debtor_uid(d.id), "number": d.number, "name": d.name}
                          for d in state.payroll.debtors])


def companies(state, username, params, debtor):
    found = [d for d in state.payroll.debtors if data.debtor_uid(d.id) == debtor]
    if not found:
        raise NotFoundError("Debtor not found.")
    return _page(params, [{"companyId": data.company_uid(c.id), "number": str(c.number), "name": c.name,
                           "debtorId": debtor} for c in state.payroll.companies if c.debtor_id == found[0].id])


def runs(state, username, params, company):
    found = _company(state, company)
    return _page(params, [{
        "payrollRunId": data.run_uid(r.id), "number": r.number, "description": r.description, "year": r.year,
        "periodStart": r.period_start, "periodEnd": r.period_end, "createdAt": _iso(r.run_at),
        "type": "normal", "locked": r.is_locked} for r in state.payroll.runs(found, _year(params, state))])


def run_employees(state, username, params, company, run):
    found = _company(state, company)
    paid = state.payroll.pay_lines(found, _run(state, found, run, _year(params, state)))
    return _page(params, [{"employeeId": data.employee_uid(found.id, line.employee.number),
                           "employeeNumber": line.employee.number} for line in paid])


def wage_taxes(state, username, params, company):
    found = _company(state, company)
    out = []
    for w in state.payroll.wage_tax_returns(found, _year(params, state)):
        out.append({"wageTaxId": data.wage_tax_uid(w.id), "serialNumber": w.serial_number,
                    "totalGeneral": w.total_general, "paymentReference": w.payment_reference, "period": w.period,
                    "year": w.year, "status": w.status, "sentAt": None if w.sent_at.year <= 1 else _iso(w.sent_at),
                    "periodStart": w.start.date().isoformat(), "periodEnd": w.end.date().isoformat(),
                    "correctionPeriodStart": None, "correctionPeriodEnd": None})
    return _page(params, out)


def _task(state: RestState, kind: str, make) -> Response:
    return json_response({"taskId": state.new_task(kind, make)})


def journal(state, username, params, company, run):
    found = _company(state, company)
    the_run = _run(state, found, run, int(params["year"]))
    period_end = date(the_run.year, the_run.period_end, calendar.monthrange(the_run.year, the_run.period_end)[1])

    def make() -> bytes:
        text = state.payroll.journal_texts.get((found.id, the_run.id))  # a test's own journal, as Nmbrs sends
        return (text or files.journal_xml(the_run, state.payroll.pay_lines(found, the_run), period_end)).encode()

    return _task(state, "journal", make)


def sepa(state, username, params, company, run):
    found = _company(state, company)
    the_run = _run(state, found, run, int(params["year"]))
    paid = datetime.fromisoformat(params["paymentDate"]).date() if params.get("paymentDate") else state.payroll.today()
    return _task(state, "sepa", lambda: files.sepa_xml(found, the_run, paid, state.payroll.pay_lines(found, the_run),
                                                       created=stamps.now().replace(tzinfo=None)))


def wage_tax_xml(state, username, params, company, wagetax):
    found = _company(state, company)
    wage_tax = _wage_tax(state, found, wagetax)
    return _task(state, "wagetax", lambda: files.wage_tax_xml(
        found, wage_tax, state.payroll.month_pay_lines(found, wage_tax.year, wage_tax.period)).encode())


def payslip(state, username, params, employee):
    company, person = _employee(state, employee)
    year, period = int(params["year"]), int(params["period"])
    return _task(state, "payslip", lambda: documents.payslip_pdf(state.payroll, company, person, year, period))


def annual_statement(state, username, params, employee):
    company, person = _employee(state, employee)
    year = int(params["year"])
    return _task(state, "annualstatement", lambda: documents.annual_statement_pdf(state.payroll, company, person, year))


def document(state, username, params, task):
    if state.document_delay:
        time.sleep(state.document_delay)
    found = state.poll(task)
    if found is None:
        raise NotFoundError("Task not found.")
    if found.polls_left:
        return json_response("Document is being processed", 202)
    return file_response(found.make())


_HANDLERS = {name: globals()[name] for _, _, name in ROUTES}
