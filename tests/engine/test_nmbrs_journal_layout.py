"""A journal in the layout Nmbrs really returns (docs/vendors/nmbrs.md, "Journals") goes through the SOAP
reader and is booked into the Yuki sandbox balanced, once; and --deep names an element the reader does
not know. The XML is written here from those facts: several transactions with their own dates, empty
dimensions, amounts with a dot, `debitcredit` in any case."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from connectors.documents import DocumentKind, Period
from portal.imports import booking
from portal.models import EntryState, LedgerEntry, RunStatus
from sandbox.nmbrs.payroll import _run_id
from tests.engine.outcome import booked_in_yuki
from tests.engine.test_engine_nmbrs import import_now

TODAY = date(2026, 11, 16)
OCTOBER = Period.month(2026, 10)
BAKKERIJ = 50001


def line(dim1, value, side, description, dim2="", dim3="", extra=""):
    return (f"<line><dim1>{dim1}</dim1><dim2>{dim2}</dim2><dim3>{dim3}</dim3><value>{value}</value>"
            f"<debitcredit>{side}</debitcredit><description>{description}</description>{extra}</line>")


def transaction(day, *lines):
    return f"<transaction><header><date>{day}</date></header><lines>{''.join(lines)}</lines></transaction>"


# October's run of Bakkerij Jansen: the wages on the 24th, the employer charges on the 31st.
OCTOBER_JOURNAL = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><transactions>" + transaction(
    "20261024",
    line("4000", "2500.00", "debit", "Brutoloon oktober", dim2="PROD", dim3="BROOD"),
    line("4000", "1800.00", "Debit", "Brutoloon oktober", dim2="VERK"),
    line("1610", "3010.00", "CREDIT", "Nettoloon oktober"),
    line("1620", "1290.00", "credit", "Loonheffing oktober"),
) + transaction(
    "20261031",
    line("4100", "903.00", "debit", "Werkgeverslasten oktober", dim2="PROD"),
    line("1620", "903.00", "Credit", "Premies werkgever oktober"),
) + "</transactions>")


@pytest.fixture(autouse=True)
def november_2026(nmbrs):
    nmbrs.app.state.clock = lambda: TODAY
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=UTC), tick=True), translation.override("nl"):
        yield


def october_journal_only(administration):
    return import_now(administration, plan={DocumentKind.JOURNAL: (OCTOBER,)})


def test_the_real_layout_is_read_over_soap_and_booked_balanced_into_yuki_once(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.state.set_journal(BAKKERIJ, _run_id(BAKKERIJ, 2026, 10), OCTOBER_JOURNAL)
    run = october_journal_only(bakkerij_nmbrs)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entry = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="journal")
    assert entry.state == EntryState.BOOKED, entry.last_error
    assert entry.source_id == f"nmbrs:company:{BAKKERIJ}:run:{_run_id(BAKKERIJ, 2026, 10)}:journal", \
        "one ledger row per run, under the key it always had"
    assert [(x["gl_account"], x["amount"], x["entry_date"], x["cost_centre"], x.get("cost_unit", ""))
            for x in entry.journal_lines] == [
        ("4000", "2500.00", "2026-10-24", "PROD", "BROOD"), ("4000", "1800.00", "2026-10-24", "VERK", ""),
        ("1610", "-3010.00", "2026-10-24", "", ""), ("1620", "-1290.00", "2026-10-24", "", ""),
        ("4100", "903.00", "2026-10-31", "PROD", ""), ("1620", "-903.00", "2026-10-31", "", "")]

    (booked,) = yuki.app.state.journals  # both transactions in one journal: one call, one ledger row
    assert booked.subject == booking.journal_subject(entry)
    per_date: dict[date, Decimal] = {}
    for item in booked.entries:
        per_date[item.entry_date] = per_date.get(item.entry_date, Decimal("0")) + item.amount
    assert per_date == {date(2026, 10, 24): 0, date(2026, 10, 31): 0}
    assert [(item.gl_account, item.amount) for item in booked.entries] == [
        ("4000", Decimal("2500.00")), ("4000", Decimal("1800.00")), ("1610", Decimal("-3010.00")),
        ("1620", Decimal("-1290.00")), ("4100", Decimal("903.00")), ("1620", Decimal("-903.00"))]

    again = october_journal_only(bakkerij_nmbrs)
    assert again.booked == 0 and len(yuki.app.state.journals) == 1, "nothing booked twice"


def test_a_journal_in_the_old_guessed_layout_is_not_booked_and_the_run_says_why(bakkerij_nmbrs, yuki, nmbrs):
    old = ("<Journal><JournalLines><JournalLine><LedgerAccount>4000</LedgerAccount><Debit>5.00</Debit>"
           "</JournalLine><JournalLine><LedgerAccount>1610</LedgerAccount><Credit>5.00</Credit></JournalLine>"
           "</JournalLines></Journal>")
    nmbrs.app.state.set_journal(BAKKERIJ, _run_id(BAKKERIJ, 2026, 10), old)
    run = october_journal_only(bakkerij_nmbrs)
    assert "opbouw die het portaal niet leest" in run.result and "diepe controle" in run.result, run.result
    assert booked_in_yuki(yuki) == [] and not LedgerEntry.objects.filter(kind="journal", state=EntryState.BOOKED)


def test_deep_check_names_an_element_the_reader_does_not_know(bakkerij_nmbrs, yuki, nmbrs):
    with_unknown = OCTOBER_JOURNAL.replace("<description>Nettoloon oktober</description>",
                                           "<description>Nettoloon oktober</description><vatcode>0</vatcode>")
    nmbrs.app.state.set_journal(BAKKERIJ, _run_id(BAKKERIJ, 2026, 10), with_unknown)
    out = StringIO()
    call_command("check_connections", "--deep", "--administration", str(bakkerij_nmbrs.pk), "--period", "2026-10",
                 stdout=out, no_color=True)
    text = out.getvalue()
    assert "Onbekend element 'transaction/lines/line/vatcode' in journaalpost genegeerd." in text, text
    assert "journaalposten: Voor 2026-10: 1 leesbaar" in text, "ignored, so still read: " + text
    assert booked_in_yuki(yuki) == []


def test_deep_check_is_quiet_about_the_journal_the_sandbox_serves(bakkerij_nmbrs, yuki, nmbrs):
    out = StringIO()
    call_command("check_connections", "--deep", "--administration", str(bakkerij_nmbrs.pk), "--period", "2026-10",
                 stdout=out, no_color=True)
    assert "Onbekend element" not in out.getvalue() and "journaalposten: Voor 2026-10: 1 leesbaar" in out.getvalue()
