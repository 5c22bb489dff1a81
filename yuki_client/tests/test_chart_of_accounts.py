"""AccountingInfo.GetGLAccountScheme: the administration's chart as Yuki types it (ArrayOfGlAccount with
`code` and the misspelt `descripton`), and ProcessJournal refusing an account the chart lacks."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from sandbox.yuki import data
from yuki_client import EntryLine, GLAccount, Journal, UnreadableAnswerError, YukiFault
from yuki_client.chart import read
from yuki_client.fault_messages import refuses_account

ADMINISTRATION = data.DEMO_ADMINISTRATION_ID
NOV30 = date(2026, 11, 30)


def test_the_chart_lists_every_account_of_the_administration_with_its_description(client, sandbox):
    accounts = client.gl_account_scheme(ADMINISTRATION)

    assert GLAccount("40000", "Bruto lonen") in accounts
    assert GLAccount("4000", "Brutolonen") in accounts
    assert [a.code for a in accounts] == sorted(sandbox.app.state.administrations[ADMINISTRATION].gl_accounts)
    assert client.calls_today() == 2, "Authenticate and GetGLAccountScheme, both counted"


def test_an_account_removed_in_the_sandbox_is_gone_from_the_chart(client, sandbox):
    assert sandbox.app.state.remove_gl_account(ADMINISTRATION, "4000")

    assert "4000" not in {a.code for a in client.gl_account_scheme(ADMINISTRATION)}


def test_the_wsdl_types_the_answer_as_yuki_does(sandbox):
    import httpx2

    wsdl = etree.fromstring(httpx2.get(sandbox.base_url + "AccountingInfo.asmx?WSDL").content)
    ns = {"s": "http://www.w3.org/2001/XMLSchema"}
    item = wsdl.find(".//s:complexType[@name='ArrayOfGlAccount']/s:sequence/s:element", ns)
    assert item.get("name") == "GlAccount" and item.get("maxOccurs") == "unbounded"
    fields = [e.get("name") for e in wsdl.findall(".//s:complexType[@name='GlAccount']/s:sequence/s:element", ns)]
    assert fields == ["code", "descripton"]


def test_a_journal_on_an_account_the_chart_lacks_is_refused_and_named(client, sandbox):
    sandbox.app.state.remove_gl_account(ADMINISTRATION, "40000")
    journal = Journal("Loonjournaal", [EntryLine(NOV30, "40000", Decimal("100.00"), "Bruto"),
                                       EntryLine(NOV30, "18000", Decimal("-100.00"), "Netto")])

    with pytest.raises(YukiFault) as refused:
        client.process_journal(ADMINISTRATION, journal)

    assert "40000" in refused.value.fault_message
    assert refuses_account(refused.value)
    assert not sandbox.app.state.journals, "nothing booked"


def test_another_refusal_is_not_read_as_a_missing_account():
    assert not refuses_account(YukiFault("x", fault_message="The journal is not balanced: the entries sum to 1.00."))


def test_an_account_without_a_code_is_unreadable_not_an_empty_chart():
    with pytest.raises(UnreadableAnswerError):
        read({"GlAccount": [{"code": None, "descripton": "Kas"}]})
    assert read(None) == []
