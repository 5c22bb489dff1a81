from datetime import date
from decimal import Decimal

import pytest

from connectors.nmbrs.errors import UnusableJournal
from connectors.nmbrs.journals import parse_amount, parse_journal

PERIOD_END = date(2026, 3, 31)


@pytest.mark.parametrize(("text", "value"), [("1234.56", "1234.56"), ("1234,56", "1234.56"),
                                             ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("", "0")])
def test_amounts_with_either_decimal_separator(text, value):
    assert parse_amount(text) == Decimal(value)


def test_dutch_tags_decimal_commas_and_the_period_end_as_default_date():
    xml = """<Journaal><Regel><Grootboekrekening>4000</Grootboekrekening><Omschrijving>Bruto</Omschrijving>
    <Debet>100,50</Debet><Credit>0</Credit><Kostenplaats>KP1</Kostenplaats></Regel>
    <Regel><Grootboekrekening>1610</Grootboekrekening><Debet>0</Debet><Credit>100,50</Credit></Regel>
    <Regel><Grootboekrekening>9999</Grootboekrekening><Debet>0</Debet><Credit>0</Credit></Regel></Journaal>"""
    lines = parse_journal(xml, PERIOD_END)
    assert [(x.gl_account, x.amount, x.cost_centre, x.entry_date) for x in lines] == [
        ("4000", Decimal("100.50"), "KP1", PERIOD_END), ("1610", Decimal("-100.50"), "", PERIOD_END)]
    assert lines[1].description == "1610"  # no description: the account, never empty


def test_a_journal_date_in_the_xml_wins():
    xml = ("<Journal><JournalDate>2026-03-25</JournalDate><JournalLines><JournalLine><LedgerAccount>1</LedgerAccount>"
           "<Debit>5</Debit></JournalLine><JournalLine><LedgerAccount>2</LedgerAccount><Credit>5</Credit>"
           "</JournalLine></JournalLines></Journal>")
    assert {x.entry_date for x in parse_journal(xml, PERIOD_END)} == {date(2026, 3, 25)}


@pytest.mark.parametrize(("xml", "fragment"), [
    ("<Journal><JournalLine><LedgerAccount>1</LedgerAccount><Debit>5</Debit></JournalLine></Journal>", "balance"),
    ("<Journal></Journal>", "no lines"),
    ("<Journal><JournalLine><LedgerAccount>1</LedgerAccount><Debit>5x</Debit></JournalLine></Journal>", "unreadable"),
    ("<Journal><JournalLine><Debit>5</Debit></JournalLine></Journal>", "without a ledger account"),
    ("<Journal><unclosed>", "not readable XML"),
])
def test_journals_that_cannot_be_booked_are_refused(xml, fragment):
    with pytest.raises(UnusableJournal, match=fragment) as info:
        parse_journal(xml, PERIOD_END)
    assert not info.value.transient
