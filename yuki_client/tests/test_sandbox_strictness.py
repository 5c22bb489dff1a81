"""The Yuki sandbox is as strict as an ASMX service reading Yuki's contract, and no stricter.

Each test sends a shape our client never sends, by hand, and expects what Yuki would answer."""

import httpx2
import pytest
from lxml import etree

from sandbox.yuki import data
from yuki_client.tests import soap_requests

NS = soap_requests.NS
JOURNAL_NS = "urn:xmlns:http://www.theyukicompany.com:journal"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


def _envelope(operation: str, inner_xml: str, soap_ns: str = SOAP11) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{soap_ns}"><soap:Body>'
            f'<{operation} xmlns="{NS}">{inner_xml}</{operation}></soap:Body></soap:Envelope>').encode()


@pytest.fixture
def post(sandbox):
    def send(service: str, operation: str, inner_xml: str, *, content_type: str | None = "text/xml; charset=utf-8",
             soap_ns: str = SOAP11) -> httpx2.Response:
        headers = {"SOAPAction": f'"{NS}{operation}"'}
        if content_type is not None:
            headers["Content-Type"] = content_type
        return httpx2.post(sandbox.base_url + service, content=_envelope(operation, inner_xml, soap_ns),
                          headers=headers, timeout=5)
    return send


AUTH = f"<accessKey>{data.DEMO_ACCESS_KEY}</accessKey>"


def test_a_soap_12_content_type_with_a_soap_11_envelope_is_a_version_mismatch(post, sandbox):
    response = post("Accounting.asmx", "Authenticate", AUTH, content_type="application/soap+xml; charset=utf-8")

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/soap+xml")
    fault = etree.fromstring(response.content)
    assert fault.findtext(f".//{{{SOAP12}}}Code/{{{SOAP12}}}Value") == "soap:VersionMismatch"
    assert "Expecting http://www.w3.org/2003/05/soap-envelope" in fault.findtext(f".//{{{SOAP12}}}Text")
    assert sandbox.app.state.authentications == 0

    # The SOAP 1.1 media type, in any case and with any charset, is served.
    assert post("Accounting.asmx", "Authenticate", AUTH, content_type="TEXT/XML").status_code == 200
    assert sandbox.app.state.authentications == 1


@pytest.mark.parametrize("content_type", [None, "application/json", "application/x-www-form-urlencoded"])
def test_a_request_without_a_soap_content_type_is_not_read_at_all(post, sandbox, content_type):
    response = post("Accounting.asmx", "Authenticate", AUTH, content_type=content_type)

    assert response.status_code == 500
    assert b"Request format is invalid" in response.content
    assert b"soap:Fault" not in response.content
    assert sandbox.app.state.authentications == 0


def _session(post) -> str:
    response = post("Archive.asmx", "Authenticate", AUTH)
    return etree.fromstring(response.content).findtext(f".//{{{NS}}}AuthenticateResult")


def _upload(post, session: str, folder: str) -> httpx2.Response:
    return post("Archive.asmx", "UploadDocument",
                f"<sessionID>{session}</sessionID><fileName>a.pdf</fileName><data>JVBERg==</data>"
                f"<folder>{folder}</folder><administrationID>{data.DEMO_ADMINISTRATION_ID}</administrationID>")


@pytest.mark.parametrize("folder", ["0_4", "٤", "99999999999"])
def test_a_folder_that_is_no_xsd_int_is_refused(post, sandbox, folder):
    session = _session(post)
    response = _upload(post, session, folder)

    assert response.status_code == 500
    assert b"was not in a correct format" in response.content
    assert sandbox.app.state.archive == []
    # What an xsd int allows (white space, sign, leading zero), and every documented folder, is accepted.
    for allowed in (" 4 ", "+5", "07", "1", "8"):
        assert _upload(post, session, allowed).status_code == 200, allowed
    assert [f.folder for f in sandbox.app.state.archive] == [4, 5, 7, 1, 8]


def _journal(post, session: str, journal_xml: str) -> httpx2.Response:
    return post("Accounting.asmx", "ProcessJournal",
                f"<sessionID>{session}</sessionID><administrationID>{data.DEMO_ADMINISTRATION_ID}"
                f"</administrationID><xmlDoc>{journal_xml}</xmlDoc>")


def _entries(date_text: str = "2026-11-30", prefix: str = "") -> str:
    return "".join(
        f"<{prefix}JournalEntry><{prefix}EntryDate>{date_text}</{prefix}EntryDate><{prefix}GLAccount>{account}"
        f"</{prefix}GLAccount><{prefix}Amount>{amount}</{prefix}Amount></{prefix}JournalEntry>"
        for account, amount in (("40000", "10.00"), ("18000", "-10.00")))


def _journal_xml(*, identifier: str = f"<AdministrationID>{data.DEMO_ADMINISTRATION_ID}</AdministrationID>",
                 entries: str | None = None) -> str:
    return (f'<Journal xmlns="{JOURNAL_NS}">{identifier}<DocumentSubject>Loon</DocumentSubject>'
            f'<JournalType>GeneralJournal</JournalType>{entries if entries is not None else _entries()}</Journal>')


def test_a_journal_without_administration_id_or_coc_number_books_in_the_calls_administration(post, sandbox):
    response = _journal(post, _session(post), _journal_xml(identifier=""))

    assert response.status_code == 200, response.text
    assert [j.administration_id for j in sandbox.app.state.journals] == [data.DEMO_ADMINISTRATION_ID]


@pytest.mark.parametrize("date_text", ["20261130", " 2026-11-30", "2026-11-30 "])
def test_an_entry_date_that_is_not_exactly_yyyy_mm_dd_is_refused(post, sandbox, date_text):
    response = _journal(post, _session(post), _journal_xml(entries=_entries(date_text)))

    assert response.status_code == 500
    assert b"is not yyyy-mm-dd" in response.content
    assert sandbox.app.state.journals == []


@pytest.mark.parametrize("amount", ["1e1", "1_0.00"])
def test_an_amount_that_is_no_xsd_decimal_is_refused(post, sandbox, amount):
    entries = _entries().replace("10.00<", f"{amount}<", 1)
    response = _journal(post, _session(post), _journal_xml(entries=entries))

    assert response.status_code == 500
    assert sandbox.app.state.journals == []


@pytest.mark.parametrize("namespace", ["", NS])
def test_journal_children_outside_the_journal_namespace_are_refused(post, sandbox, namespace):
    foreign = f' xmlns="{namespace}"' if namespace else ' xmlns=""'
    journal = (f'<Journal xmlns="{JOURNAL_NS}"><AdministrationID{foreign}>{data.DEMO_ADMINISTRATION_ID}'
               f'</AdministrationID><DocumentSubject>Loon</DocumentSubject><JournalType>GeneralJournal'
               f'</JournalType>{_entries()}</Journal>')
    response = _journal(post, _session(post), journal)

    assert response.status_code == 500
    assert b"has invalid child element 'AdministrationID'" in response.content
    assert sandbox.app.state.journals == []
    # The documented shape, every element in the journal namespace, is booked.
    assert _journal(post, _session(post), _journal_xml()).status_code == 200
    assert len(sandbox.app.state.journals) == 1


def test_entry_children_outside_the_journal_namespace_are_refused(post, sandbox):
    entries = _entries().replace("<GLAccount>", '<GLAccount xmlns="">', 1)
    response = _journal(post, _session(post), _journal_xml(entries=entries))

    assert response.status_code == 500
    assert b"invalid child element 'GLAccount'" in response.content
    assert sandbox.app.state.journals == []


def test_a_second_journal_in_xml_doc_is_refused_not_silently_dropped(post, sandbox):
    response = _journal(post, _session(post), _journal_xml() + _journal_xml())

    assert response.status_code == 500
    assert b"multiple root elements" in response.content
    assert sandbox.app.state.journals == []
