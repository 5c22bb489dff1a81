"""The Yuki sandbox itself: WSDLs from the request URL, ASMX-strict requests, HTTP fault control."""

import json

import httpx2
import pytest
import zeep
from lxml import etree

from sandbox.yuki import data
from yuki_client.tests import soap_requests

WSDL = "http://schemas.xmlsoap.org/wsdl/"


@pytest.mark.parametrize(("path", "service"), [("Accounting.asmx", "Accounting"), ("Archive.asmx", "Archive"),
                                               ("Pettycash.asmx", "PettyCash")])
def test_wsdls_point_at_the_address_they_were_fetched_from(sandbox, path, service):
    url = f"{sandbox.url}/sandbox/yuki/ws/{path}"
    wsdl = etree.fromstring(httpx2.get(url + "?wsdl").content)

    assert wsdl.get("targetNamespace") == "http://www.theyukicompany.com/"
    assert wsdl.find(f"{{{WSDL}}}service").get("name") == service
    locations = wsdl.xpath("//wsdl:service/wsdl:port/*/@location", namespaces={"wsdl": WSDL})
    assert locations == [url, url]


def test_pettycash_single_lines_use_session_id_casing(sandbox):
    client = zeep.Client(sandbox.base_url + "Pettycash.asmx?WSDL")
    signature = client.service.ImportSingleStatementLine._proxy._binding.get("ImportSingleStatementLine")
    names = [name for name, _ in signature.input.body.type.elements]
    assert names == ["sessionId", "accountGlCode", "transactionCode", "offsetAccount", "offsetName",
                     "transactionDate", "transactionDescription", "amount"]


def test_a_soap_action_that_does_not_match_the_body_is_refused(sandbox):
    response = soap_requests.post(sandbox.base_url + "Accounting.asmx", "Authenticate",
                                  f"<accessKey>{data.DEMO_ACCESS_KEY}</accessKey>",
                                  action="http://www.theyukicompany.com/Domains")
    assert response.status_code == 500
    assert b"did not recognize the value of HTTP Header SOAPAction" in response.content


def test_parameters_out_of_wsdl_order_are_refused(sandbox):
    response = soap_requests.post(sandbox.base_url + "Accounting.asmx", "AdministrationID",
                                  "<administrationName>X</administrationName><sessionID>s</sessionID>")
    assert response.status_code == 500
    assert b"was not expected" in response.content


def test_faults_are_http_500_soap_faults_with_the_asmx_wrapper(sandbox):
    response = soap_requests.post(sandbox.base_url + "Archive.asmx", "Authenticate", "<accessKey>nope</accessKey>")
    fault = etree.fromstring(response.content).find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")

    assert response.status_code == 500
    assert fault.findtext("faultcode") == "soap:Server"
    assert fault.findtext("faultstring") == "Server was unable to process request. ---> Invalid access key"


def test_faults_can_be_injected_over_http(sandbox):
    control = sandbox.url + "/_faults"
    httpx2.post(control, content=json.dumps({"action": "http_error", "vendor": "yuki", "operation": "Authenticate",
                                            "status": 503}))
    response = soap_requests.post(sandbox.base_url + "Archive.asmx", "Authenticate",
                                  f"<accessKey>{data.DEMO_ACCESS_KEY}</accessKey>")
    assert response.status_code == 503
    assert httpx2.get(control).json()["calls"] == {"yuki:Authenticate": 1}


def test_unknown_services_are_404(sandbox):
    assert httpx2.get(sandbox.base_url + "Sales.asmx?WSDL").status_code == 404


def test_sessions_expire_on_demand(sandbox):
    session_id = sandbox.app.state.open_session(data.DEMO_DOMAIN_ID, (data.DEMO_ADMINISTRATION_ID,))
    ok = soap_requests.post(sandbox.base_url + "Archive.asmx", "Domains", f"<sessionID>{session_id}</sessionID>")
    sandbox.app.state.expire_sessions()
    expired = soap_requests.post(sandbox.base_url + "Archive.asmx", "Domains", f"<sessionID>{session_id}</sessionID>")

    assert ok.status_code == 200
    assert expired.status_code == 500 and b"Session expired" in expired.content
