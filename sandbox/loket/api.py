"""The sandbox's api.loket.nl/v2: the read endpoints the connector uses, with Loket's paths and fields.

Every call needs a live bearer token and `Accept: ...application/json;version=<date>`; endpoints
that need a Loket right answer 403 with a `messages` body when the user lacks it.
"""

from __future__ import annotations

import re
from datetime import date

from sandbox import stamps
from sandbox.loket import data, resources
from sandbox.loket.envelope import detail, error, listing
from sandbox.loket.files import euro, simple_pdf, tax_return_message
from sandbox.loket.resources import Call
from sandbox.loket.state import LoketState
from sandbox.loket.web import Response, query

_ACCEPT_VERSION = re.compile(r"application/json;\s*version=\d{4}-\d{2}-\d{2}")
# Downloads: Loket's own request examples ask for the file's media type (docs/vendors/loket.md).
_FILE_MEDIA = {"pdf": "application/pdf", "xml": "application/xml"}
_P = "/api/v2/providers/employers"




# --- handlers --------------------------------------------------------------------------------------

def administrations(call: Call) -> Response:
    return listing([resources.administration_json(a) for a in call.administrations()], call.params)


def payroll_periods(call: Call, administration_id: str) -> Response:
    a = call.administration(administration_id)
    if a is None or not a.is_payroll:
        return error(404, "Payroll administration not found", "NotFound")
    items = [data.period_json(a, y, m, data.is_processed(y, m, call.today), data.is_processed(y, m, call.today))
             for y, m in data.calendar_months(a, call.today)]
    return listing(items, call.params)


def employments(call: Call, employer_id: str) -> Response:
    mine = [a for a in call.administrations() if resources.index().employer_ids[id(a)] == employer_id]
    if not mine:
        return error(404, "Employer not found", "NotFound")
    return listing([resources.employment_json(a, e, call.today) for a in mine for e in a.employees], call.params)


def payslips(call: Call, employment_id: str) -> Response:
    a, e = resources.find_employment(call, employment_id)
    if a is None:
        return error(404, "Employment not found", "NotFound")
    items = [{"payrollrunId": data.guid("payrollrun", a.id, y, m), "numberOfPayslips": 1,
              "approvalTime": f"{date(y, m, 1).isoformat()}T08:30:00", "payrollPeriod": data.period_ref(y, m)}
             for y, m in data.calendar_months(a, call.today)
             if data.is_processed(y, m, call.today) and e.employed_in(y, m, call.today)]
    return listing(items, call.params)


def _summary_months(call: Call, a: data.Administration, e: data.Employee) -> list[tuple[int, int]]:
    return [(y, m) for y, m in data.calendar_months(a, call.today)
            if data.is_processed(y, m, call.today) and e.employed_in(y, m, call.today)]


def _summary_id(call: Call, a: data.Administration, employment_id: str, year: int, month: int) -> int:
    scope = employment_id if call.state.summary_ids_per_employment else a.id
    return data.payslip_summary_id(scope, year, month)


def payslip_summary_metadata(call: Call, employment_id: str) -> Response:
    """The periods a cumulative payslip can be downloaded for. The option shape follows Loket's metadata
    convention (key + value, extra attributes beside them); its exact fields are our guess
    (docs/vendors/loket.md)."""
    a, e = resources.find_employment(call, employment_id)
    if a is None:
        return error(404, "Employment not found", "NotFound")
    options = [{"key": _summary_id(call, a, employment_id, y, m), "value": f"{y} periode {m:02d}",
                **data.period_ref(y, m)} for y, m in _summary_months(call, a, e)]
    return detail({"payrollPeriod": options})


def payslip_pdf(call: Call, employment_id: str, payroll_period_id: str) -> Response:
    a, e = resources.find_employment(call, employment_id)
    if a is None:
        return error(404, "Employment not found", "NotFound")
    year, month = next(((y, m) for y, m in _summary_months(call, a, e)
                        if str(_summary_id(call, a, employment_id, y, m)) == payroll_period_id), (0, 0))
    slip = next((p for emp, p in data.payslips_of(a, year, month, call.today) if emp == e), None) \
        if 1 <= month <= 12 else None
    if slip is None:
        return error(404, f"No payslip for payroll period {payroll_period_id}", "NotFound")
    revision = call.state.payslip_revisions.get((employment_id, data.period_id(year, month)), 0)
    lines = [a.employer_name, f"Loonheffingennummer {a.wage_tax_number}", "",
             f"Werknemer {e.number}  {e.name}", f"Periode {year}-{month:02d}", "",
             f"Brutoloon                 {euro(slip.gross)}", f"Loonheffing               {euro(-slip.wage_tax)}",
             f"Pensioenpremie werknemer  {euro(-slip.pension_employee)}", "",
             f"Nettoloon                 {euro(slip.net)}"]
    if revision:
        lines += ["", f"Correctie {revision}: herberekend na wijziging"]
    pdf = simple_pdf(f"Loonstrook {year}-{month:02d} {e.name}", lines)
    return _file(pdf, "application/pdf", f"loonstrook_{e.number}_{year}{month:02d}.pdf")


def journal_runs(call: Call, administration_id: str) -> Response:
    a = call.administration(administration_id)
    if a is None or not a.is_payroll:
        return error(404, "Payroll administration not found", "NotFound")
    runs = [resources.journal_run(a, y, m, call.state) for y, m in data.calendar_months(a, call.today)
            if data.is_processed(y, m, call.today)]
    return listing(runs, call.params)


def journal_run_results(call: Call, journal_run_id: str) -> Response:
    for a in call.administrations():
        for y, m in data.calendar_months(a, call.today):
            if data.is_processed(y, m, call.today) and data.guid("journalrun", a.id, y, m) == journal_run_id:
                if resources.journal_run(a, y, m, call.state)["journalRunStatus"]["key"] in (0, 1, 2, 3):
                    return error(400, "The journal run has no results (yet).", "BrokenBusinessRule")
                consolidate = call.params.get("consolidate", "BasedOnLedgerAccountConfiguration")
                if consolidate not in ("BasedOnLedgerAccountConfiguration", "Always", "Never"):
                    return error(400, f"Invalid value for consolidate: {consolidate}", "BrokenBusinessRule")
                return listing(data.journal_results(a, y, m, call.today), call.params)
    return error(404, "Journal run not found", "NotFound")


def tax_returns(call: Call, administration_id: str) -> Response:
    a = call.administration(administration_id)
    if a is None or not a.is_payroll:
        return error(404, "Payroll administration not found", "NotFound")
    items = [resources.tax_return(a, y, m, call.today, call.state) for y, m in data.calendar_months(a, call.today)
             if data.is_processed(y, m, call.today)]
    return listing(items, call.params)


def tax_return(call: Call, tax_return_id: str, part: str = "") -> Response:
    a, year, month = resources.find_tax_return(call, tax_return_id)
    if a is None:
        return error(404, "Payroll tax return not found", "NotFound")
    content = resources.tax_return(a, year, month, call.today, call.state)
    if not part:
        return detail(content)
    revision = call.state.tax_return_revisions.get(tax_return_id, 0)
    start, end = date.fromisoformat(content["period"]["periodStartDate"]), \
        date.fromisoformat(content["period"]["periodEndDate"])
    if part == "message":
        xml = tax_return_message(wage_tax_number=a.wage_tax_number, employer_name=a.employer_name,
                                 start=start, end=end, wage_tax_cents=round(content["totalAmount"] * 100),
                                 message_reference=content["messageReference"],
                                 created=stamps.now().strftime("%Y-%m-%dT%H:%M:%S"), revision=revision)
        return _file(xml, "application/xml", f"loonaangifte_{a.wage_tax_number}_{year}{month:02d}.xml")
    lines = [a.employer_name, f"Loonheffingennummer {a.wage_tax_number}",
             f"Tijdvak {start.isoformat()} t/m {end.isoformat()}", "",
             f"Status                 {content['payrollTaxReturnStatus']['value']}",
             f"Totaal te betalen      {euro(round(content['totalAmount'] * 100))}",
             f"Betalingskenmerk       {content['paymentReference']}"]
    pdf = simple_pdf(f"Loonaangifte {year}-{month:02d}", lines)
    return _file(pdf, "application/pdf", f"loonaangifte_{a.wage_tax_number}_{year}{month:02d}.pdf")


def _file(content: bytes, media: str, file_name: str) -> Response:
    return Response(200, content, [("Content-Type", media),
                                   ("Content-Disposition", f'attachment; filename="{file_name}"')])


# The query parameters each resource declares in Loket's spec (docs/vendors/loket.md): paging on every
# list (the spec's introduction), filter/orderBy where the resource lists them, consolidate on journal
# run results (the Kiota client generated from Loket's spec). Requests are recorded for tests to check.
PAGING = frozenset({"pageNumber", "pageSize"})
LISTING = PAGING | {"filter", "orderBy"}
NONE: frozenset = frozenset()

# (path pattern, handler, right needed or None, media returned, declared query parameters)
ROUTES = [
    (rf"{_P}/administrations", administrations, None, "json", LISTING),
    (rf"{_P}/payrolladministrations/([^/]+)/payrollperiods", payroll_periods, data.RIGHT_PAYROLL_OUTPUT, "json",
     PAGING),
    (rf"{_P}/employees/employments/([^/]+)/payslips", payslips, data.RIGHT_PAYROLL_OUTPUT, "json", LISTING),
    (rf"{_P}/employees/employments/([^/]+)/payslips/summary/metadata", payslip_summary_metadata,
     data.RIGHT_PAYROLL_OUTPUT, "json", NONE),
    (rf"{_P}/employees/employments/([^/]+)/payslips/summary/([^/]+)", payslip_pdf, data.RIGHT_PAYROLL_OUTPUT,
     "pdf", NONE),
    (rf"{_P}/payrolladministrations/journalruns/([^/]+)/results", journal_run_results,
     data.RIGHT_EXPORT_JOURNAL_RUN, "json", PAGING | {"consolidate"}),
    (rf"{_P}/payrolladministrations/([^/]+)/journalruns", journal_runs, data.RIGHT_JOURNALISE, "json", LISTING),
    (rf"{_P}/payrolladministrations/([^/]+)/payrolltaxreturns", tax_returns, data.RIGHT_TAX_RETURNS, "json",
     LISTING),
    (rf"{_P}/payrolladministrations/payrolltaxreturns/([^/]+)", tax_return, data.RIGHT_TAX_RETURNS, "json", NONE),
    (rf"{_P}/payrolladministrations/payrolltaxreturns/([^/]+)/(message)", tax_return, data.RIGHT_TAX_RETURNS,
     "xml", NONE),
    (rf"{_P}/payrolladministrations/payrolltaxreturns/([^/]+)/(report|overview)", tax_return,
     data.RIGHT_TAX_RETURNS, "pdf", NONE),
    (rf"{_P}/([^/]+)/employees/employments", employments, data.RIGHT_EMPLOYMENTS, "json", LISTING),
]
ROUTES = [(re.compile(pattern), handler, right, media, declared)
          for pattern, handler, right, media, declared in ROUTES]


def match(path: str):
    for pattern, handler, right, media, _declared in ROUTES:
        found = pattern.fullmatch(path)
        if found:
            return handler, found.groups(), right, media
    return None


def declared_parameters(path: str) -> frozenset:
    """The query parameters the resource at `path` declares (for tests on what the client sends)."""
    for pattern, _handler, _right, _media, declared in ROUTES:
        if pattern.fullmatch(path):
            return declared
    return NONE


def handle(environ, state: LoketState, path: str, malformed: bool) -> Response:
    if environ["REQUEST_METHOD"] != "GET":
        state.record({"path": path, "method": environ["REQUEST_METHOD"]})  # a write: tests look for these
        return error(405, "The sandbox serves the read endpoints only.")
    routed = match(path)
    if routed is None:
        return error(404, f"No such resource: {path}", "NotFound")
    handler, args, right, media = routed
    state.record({"path": path, "method": "GET", "query": environ.get("QUERY_STRING", ""),
                  "accept": environ.get("HTTP_ACCEPT", ""), "authorization": environ.get("HTTP_AUTHORIZATION", "")})
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    username = state.user_of(authorization[7:]) if authorization.lower().startswith("bearer ") else None
    if username is None:
        return error(401, "The access token is missing, invalid or expired.")
    accept = environ.get("HTTP_ACCEPT", "")
    if media == "json" and not _ACCEPT_VERSION.search(accept):
        return error(406, "The Accept header must name a version, e.g. application/json;version=2018-01-01.")
    if media != "json" and _FILE_MEDIA[media] not in accept.lower():
        return error(406, f"This resource is a file: send Accept: {_FILE_MEDIA[media]}.")
    if right is not None and right not in state.users[username].rights:
        return error(403, "The user is not authorized to perform this operation.", "Exception")
    if malformed:
        body = b'{"totalSize": 3, "_embedded": [{"id": ' if media == "json" else b"Gateway error: upstream closed"
        return Response(200, body, [("Content-Type", "application/json" if media == "json" else
                                     "application/pdf")])
    call = Call(state=state, username=username, params=query(environ), today=state.today())
    return handler(call, *args)
