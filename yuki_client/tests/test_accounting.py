"""ProcessJournal end to end: booked as raw XML, refused before sending when unbalanced."""

from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from sandbox.yuki import data
from yuki_client import EntryLine, Journal, Service, UnbalancedJournalError, YukiFault
from yuki_client.tests import soap_requests

NOV30 = date(2026, 11, 30)


def payroll_journal():
    return Journal("Loonjournaal november 2026", [
        EntryLine(NOV30, "40000", Decimal("2500.00"), "Bruto lonen", contact_name="Jansen", contact_code="0042"),
        EntryLine(NOV30, "17100", Decimal("-612.40"), "Loonheffing"),
        EntryLine(NOV30, "18000", Decimal("-1887.60"), "Netto lonen"),
    ])


def test_a_journal_is_booked_and_its_guid_returned(client, sandbox):
    guid = client.process_journal(data.DEMO_ADMINISTRATION_ID, payroll_journal())

    [booked] = sandbox.app.state.journals
    assert booked.id == guid
    assert booked.administration_id == data.DEMO_ADMINISTRATION_ID
    assert booked.subject == "Loonjournaal november 2026"
    assert booked.journal_type == "GeneralJournal"
    assert [(e.gl_account, e.amount, e.contact_code) for e in booked.entries] == [
        ("40000", Decimal("2500.00"), "0042"), ("17100", Decimal("-612.40"), ""), ("18000", Decimal("-1887.60"), "")]


def test_the_xml_doc_travels_as_xml_not_as_escaped_text(client, sandbox):
    client.process_journal(data.DEMO_ADMINISTRATION_ID, payroll_journal())

    stored = etree.fromstring(sandbox.app.state.journals[0].xml)
    assert stored.tag == "{urn:xmlns:http://www.theyukicompany.com:journal}Journal"
    assert b"&lt;" not in sandbox.app.state.journals[0].xml


def test_the_sandbox_refuses_an_escaped_string_xml_doc_like_yuki(client, sandbox):
    session_id = client.session_id()
    escaped = escape(payroll_journal().to_string(administration_id=data.DEMO_ADMINISTRATION_ID))
    response = soap_requests.post(
        sandbox.base_url + "Accounting.asmx", "ProcessJournal",
        f"<sessionID>{session_id}</sessionID><administrationID>{data.DEMO_ADMINISTRATION_ID}</administrationID>"
        f"<xmlDoc>{escaped}</xmlDoc>")

    assert response.status_code == 500
    assert b"soap:Fault" in response.content and b"not escaped text" in response.content
    assert sandbox.app.state.journals == []


def test_an_unbalanced_journal_is_refused_before_any_call(client, sandbox):
    with pytest.raises(UnbalancedJournalError):
        client.process_journal(data.DEMO_ADMINISTRATION_ID, Journal("Loon", [
            EntryLine(NOV30, "40000", Decimal("10.00"), "a"), EntryLine(NOV30, "18000", Decimal("-9.99"), "b")]))
    assert sandbox.app.faults.calls == {}
    assert client.calls_today() == 0


def test_the_sandbox_itself_rejects_a_journal_unbalanced_on_one_date(client, sandbox):
    # Bypass the builder's check to prove the sandbox enforces Yuki's per-date rule too.
    lines = [EntryLine(NOV30, "40000", Decimal("10.00"), "a"), EntryLine(date(2026, 12, 1), "18000",
                                                                          Decimal("-10.00"), "b")]
    journal = object.__new__(Journal)
    object.__setattr__(journal, "subject", "Loon")
    object.__setattr__(journal, "lines", tuple(lines))
    object.__setattr__(journal, "journal_type", payroll_journal().journal_type)

    with pytest.raises(YukiFault, match="not balanced on 2026-11-30"):
        client.call(Service.ACCOUNTING, "ProcessJournal", {
            "administrationID": data.DEMO_ADMINISTRATION_ID,
            "xmlDoc": {"_value_1": journal.to_xml(administration_id=data.DEMO_ADMINISTRATION_ID)}})
    assert sandbox.app.state.journals == []


def test_a_journal_by_coc_number_is_booked(client, sandbox):
    client.process_journal(data.DEMO_ADMINISTRATION_ID, payroll_journal(), coc_number="12345672")
    assert len(sandbox.app.state.journals) == 1


def test_a_coc_number_of_another_administration_is_refused(client, sandbox):
    with pytest.raises(YukiFault, match="AdministrationCoCNumber '87654321' does not belong"):
        client.process_journal(data.DEMO_ADMINISTRATION_ID, payroll_journal(), coc_number="87654321")


def test_an_administration_the_key_does_not_reach_is_refused(client, sandbox):
    with pytest.raises(YukiFault, match="not found or not accessible"):
        client.process_journal(data.OTHER_ADMINISTRATION_ID, payroll_journal())
    assert sandbox.app.state.journals == []
