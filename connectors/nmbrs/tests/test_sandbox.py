"""The Nmbrs sandbox itself: contract (sandbox/README.md), WSDL, faults, data consistency."""

import io
import json
from datetime import date
from decimal import Decimal

import requests
from lxml import etree

from sandbox.nmbrs import create_app, data, files
from sandbox.nmbrs.payroll import first_year

WSDL_NS = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}


def call_wsgi(app, method, path, script_name="", query="", body=b"", headers=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": script_name, "QUERY_STRING": query,
               "SERVER_NAME": "portal.example", "SERVER_PORT": "443", "HTTP_HOST": "portal.example",
               "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    environ.update(headers or {})
    captured = {}
    out = b"".join(app(environ, lambda status, hdrs, exc=None: captured.update(status=status)))
    return captured["status"], out


def test_the_wsdl_has_the_v3_namespace_and_is_addressed_under_the_mount_prefix():
    status, body = call_wsgi(create_app(), "GET", "/soap/v3/CompanyService.asmx", "/sandbox/nmbrs", "WSDL")
    assert status.startswith("200")
    root = etree.fromstring(body)
    assert root.get("targetNamespace") == "https://api.nmbrs.nl/soap/v3/CompanyService"
    assert root.xpath("string(//soap:address/@location)", namespaces=WSDL_NS) == \
        "https://portal.example/sandbox/nmbrs/soap/v3/CompanyService.asmx"
    actions = root.xpath("//soap:operation/@soapAction", namespaces=WSDL_NS)
    assert "https://api.nmbrs.nl/soap/v3/CompanyService/SalaryDocuments_AnnualDocument_AnualStatement" in actions
    assert root.xpath("count(//soap:header[@part='AuthHeaderWithDomain'])", namespaces=WSDL_NS) == len(actions)


def test_the_debtor_service_wsdl_over_http(nmbrs_server):
    response = requests.get(f"{nmbrs_server.url}/soap/v3/DebtorService.asmx?wsdl", timeout=5)
    assert response.status_code == 200
    assert b'targetNamespace="https://api.nmbrs.nl/soap/v3/DebtorService"' in response.content
    assert f"{nmbrs_server.url}/soap/v3/DebtorService.asmx".encode() in response.content


def test_auth_faults_are_http_500_with_the_asmx_faultstring(nmbrs_server):
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:n="https://api.nmbrs.nl/soap/v3/DebtorService"><soap:Header><n:AuthHeaderWithDomain>'
        f'<n:Username>{data.DEMO_USERNAME}</n:Username><n:Token>wrong</n:Token><n:Domain>{data.DEMO_DOMAIN}'
        '</n:Domain></n:AuthHeaderWithDomain></soap:Header><soap:Body><n:List_GetAll/></soap:Body></soap:Envelope>')
    response = requests.post(f"{nmbrs_server.url}/soap/v3/DebtorService.asmx", data=envelope, timeout=5,
                             headers={"Content-Type": "text/xml; charset=utf-8",
                                      "SOAPAction": '"https://api.nmbrs.nl/soap/v3/DebtorService/List_GetAll"'})
    assert response.status_code == 500
    faultstring = etree.fromstring(response.content).findtext(".//faultstring")
    assert faultstring == "Server was unable to process request. ---> 1001: Invalid Authentication"


def test_a_call_without_the_header_is_refused(nmbrs_app):
    body = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            b'<List_GetAll xmlns="https://api.nmbrs.nl/soap/v3/CompanyService"/></soap:Body></soap:Envelope>')
    status, out = call_wsgi(nmbrs_app, "POST", "/soap/v3/CompanyService.asmx", body=body)
    assert status.startswith("500")
    assert etree.fromstring(out).findtext(".//faultstring").endswith("---> 2043: Invalid domain ''")


def test_unknown_operations_and_bad_xml_are_client_faults(nmbrs_app):
    body = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            b'<Employee_Delete xmlns="https://api.nmbrs.nl/soap/v3/CompanyService"/></soap:Body></soap:Envelope>')
    status, out = call_wsgi(nmbrs_app, "POST", "/soap/v3/CompanyService.asmx", body=body)
    assert status.startswith("500") and b"soap:Client" in out
    status, out = call_wsgi(nmbrs_app, "POST", "/soap/v3/CompanyService.asmx", body=b"<nope")
    assert status.startswith("500") and b"soap:Client" in out


def test_other_paths_are_not_found(nmbrs_app):
    assert call_wsgi(nmbrs_app, "GET", "/soap/v3/ReportService.asmx", query="WSDL")[0].startswith("404")


def test_faults_can_be_added_over_http(nmbrs_server, nmbrs_app, client):
    rule = {"action": "soap_fault", "vendor": "nmbrs", "operation": "List_GetAll", "message": "1006: Login failed"}
    response = requests.post(f"{nmbrs_server.url}/_faults", data=json.dumps(rule), timeout=5)
    assert response.status_code == 200 and response.json()["rules"][0]["action"] == "soap_fault"
    client.companies()  # retried past the one 1006
    assert nmbrs_app.faults.rules()[0]["fired"] == 1


def _side(entries, side):
    return sum((e["value"] for e in entries if e["debitcredit"] == side), Decimal("0"))


def test_every_generated_journal_transaction_balances_and_the_journal_matches_its_wage_tax_return():
    app = create_app()
    state = app.state
    today = state.today()
    for company in state.companies:
        for year in (first_year(today), today.year):
            returns = {w.period: w for w in state.wage_tax_returns(company, year)}
            transactions = {run: files.journal_transactions(run, state.pay_lines(company, run), date(2000, 1, 31))
                            for run in state.runs(company, year)}
            for found in transactions.values():
                assert len(found) == 2
                for _day, entries in found:
                    assert _side(entries, "debit") == _side(entries, "credit") > 0
            for month, wage_tax in returns.items():
                payable = sum((e["value"] for run, found in transactions.items() if run.period_end == month
                               for _day, entries in found for e in entries if e["dim1"] == "1620"), Decimal("0"))
                assert wage_tax.total_general == int(payable.to_integral_value())


def test_the_journal_operation_answers_the_layout_nmbrs_returns_and_not_our_old_guess():
    state = create_app().state
    company = state.companies[0]
    run = state.runs(company, state.today().year)[0]
    root = etree.fromstring(files.journal_xml(run, state.pay_lines(company, run), date(2000, 1, 31)).encode())
    assert root.tag == "transactions" and [child.tag for child in root] == ["transaction", "transaction"]
    assert [el.text for el in root.iterfind("transaction/header/date")] == [
        "20000125", "20000131"]
    for line in root.iterfind("transaction/lines/line"):
        assert [child.tag for child in line] == ["dim1", "dim2", "dim3", "value", "debitcredit", "description"]
        assert line.findtext("debitcredit") in ("debit", "credit") and "." in line.findtext("value")
    assert {line.findtext("dim2") for line in root.iterfind("transaction/lines/line")} >= {"", "PROD"}
    assert root.find(".//JournalLine") is None and root.find(".//LedgerAccount") is None


def test_the_demo_data_has_locked_and_not_locked_returns_and_users_with_limited_rights():
    state = create_app().state
    today = state.today()
    # Last year and this one (the sandbox keeps both): on 1 January this year has one return, not yet locked.
    statuses = {w.status for year in (today.year - 1, today.year)
                for w in state.wage_tax_returns(state.companies[0], year)}
    assert "Vergrendeld" in statuses and statuses - {"Vergrendeld"}
    assert statuses <= {"Aangemaakt", "Vergrendeld", "Verzonden"}, "Dutch texts, as the REST API's example"
    no_annual = state.user(data.NO_ANNUAL_RIGHTS_USERNAME, data.NO_ANNUAL_RIGHTS_TOKEN, data.DEMO_DOMAIN)
    assert not no_annual.may_call("SalaryDocuments_AnnualDocument_AnualStatement")
    assert no_annual.may_call("SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2")
