"""The journal reader against the layout Nmbrs really returns (docs/vendors/nmbrs.md, "Journals"):
`transaction`s with `header/date` (YYYYMMDD) and `lines/line` of dim1/dim2/dim3/value/debitcredit/
description. The XML here is written for these tests, from those facts."""

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.documents import DocumentKind, JournalLine, Period, SourceDocument, check_balanced
from connectors.nmbrs.errors import UnreadableJournalLayout, UnusableJournal
from connectors.nmbrs.journals import parse_journal, parse_root, read_transactions, unknown_elements

PERIOD_END = date(2026, 3, 31)


def line(dim1, value, side, description="", dim2="", dim3="", extra=""):
    return (f"<line><dim1>{dim1}</dim1><dim2>{dim2}</dim2><dim3>{dim3}</dim3><value>{value}</value>"
            f"<debitcredit>{side}</debitcredit><description>{description}</description>{extra}</line>")


def transaction(day, *lines, header_extra=""):
    return f"<transaction><header><date>{day}</date>{header_extra}</header><lines>{''.join(lines)}</lines></transaction>"


def journal(*transactions):
    return f"<?xml version='1.0' encoding='utf-8'?>\n<transactions>{''.join(transactions)}</transactions>"


TWO_TRANSACTIONS = journal(
    transaction("20260325",
                line("4000", "3150.00", "debit", "Brutoloon maart", dim2="KP10", dim3="KD7"),
                line("4000", "1250.50", "Debit", "Brutoloon maart", dim2="KP20"),
                line("1610", "3080.35", "CREDIT", "Netto te betalen"),
                line("1620", "1320.15", " credit ", "Af te dragen loonheffing")),
    transaction("20260331",
                line("4100", "924.11", "debit", "Premies werkgever", dim2="KP10"),
                line("1620", "924.11", "credit", "Premies werkgever"),
                line("4999", "0.00", "debit", "Nul: niet geboekt")),
)


def test_several_transactions_each_on_its_own_date_with_cost_centre_and_cost_unit():
    first, second = read_transactions(TWO_TRANSACTIONS, PERIOD_END)
    assert (first.number, first.entry_date, second.number, second.entry_date) == (
        1, date(2026, 3, 25), 2, date(2026, 3, 31))
    assert [(x.gl_account, x.amount, x.cost_centre, x.cost_unit, x.description) for x in first.lines] == [
        ("4000", Decimal("3150.00"), "KP10", "KD7", "Brutoloon maart"),
        ("4000", Decimal("1250.50"), "KP20", "", "Brutoloon maart"),
        ("1610", Decimal("-3080.35"), "", "", "Netto te betalen"),
        ("1620", Decimal("-1320.15"), "", "", "Af te dragen loonheffing")]
    assert [(x.gl_account, x.amount, x.entry_date) for x in second.lines] == [
        ("4100", Decimal("924.11"), date(2026, 3, 31)), ("1620", Decimal("-924.11"), date(2026, 3, 31))]
    lines = parse_journal(TWO_TRANSACTIONS, PERIOD_END)
    assert len(lines) == 6 and sum(x.amount for x in lines) == 0


def test_a_transaction_without_a_date_is_booked_on_the_period_end_and_a_line_without_description_names_its_account():
    xml = journal("<transaction><lines>" + line("4000", "10.00", "debit") + line("1610", "10.00", "credit")
                  + "</lines></transaction>")
    lines = parse_journal(xml, PERIOD_END)
    assert {x.entry_date for x in lines} == {PERIOD_END}
    assert [x.description for x in lines] == ["4000", "1610"]


def test_the_old_guessed_layout_is_not_read_and_says_so():
    old = ("<Journal><JournalLines><JournalLine><LedgerAccount>4000</LedgerAccount><Debit>5</Debit></JournalLine>"
           "</JournalLines></Journal>")
    with pytest.raises(UnreadableJournalLayout, match="no 'transaction' elements"):
        parse_journal(old, PERIOD_END)


@pytest.mark.parametrize(("xml", "fragment"), [
    (journal(transaction("20260331", line("4000", "5.00", "debit"), line("1610", "4.00", "credit"))),
     r"Transaction 1 \(2026-03-31\) .* does not balance: its lines sum to 1.00"),
    # Balanced as a whole, not per transaction: a transaction is a booking of its own.
    (journal(transaction("20260331", line("4000", "5.00", "debit")),
             transaction("20260331", line("1610", "5.00", "credit"))), "Transaction 1 .* does not balance"),
    (journal(transaction("20260331", line("4000", "0.00", "debit"))), "no lines with an amount"),
    (journal(transaction("20260331", line("4000", "1.234,56", "debit"))), "unreadable amount '1.234,56'"),
    (journal(transaction("20260331", line("4000", "12,50", "debit"))), "unreadable amount '12,50'"),
    (journal(transaction("20260331", line("4000", "", "debit"))), "unreadable amount ''"),
    (journal(transaction("20260331", line("", "5.00", "debit"))), r"without a ledger account \(dim1\)"),
    (journal(transaction("20260331", line("4000", "5.00", "debet"))), "neither debit nor credit \\('debet'\\)"),
    (journal(transaction("2026-03-31", line("4000", "5.00", "debit"))), "unreadable date '2026-03-31'"),
    (journal(transaction("20260331", line("4000", "5.00", "debit")),
             "<correction><lines>" + line("1610", "5.00", "credit") + "</lines></correction>"),
     r"1 line\(s\) outside transaction/lines/line"),
    # A root named like a line is a line outside a transaction too (and no crash).
    (journal(transaction("20260331", line("4000", "5.00", "debit"), line("1610", "5.00", "credit")))
     .replace("transactions>", "line>"), r"1 line\(s\) outside"),
    ("<transactions><unclosed>", "not readable XML"),
])
def test_journals_that_cannot_be_booked_are_refused(xml, fragment):
    with pytest.raises(UnusableJournal, match=fragment) as info:
        parse_journal(xml, PERIOD_END)
    assert not info.value.transient


def test_unknown_elements_are_named_by_their_path_once_and_ignored():
    xml = journal(
        transaction("20260331", line("4000", "5.00", "debit", extra="<vatcode>0</vatcode>"),
                    line("1610", "5.00", "credit", extra="<vatcode>0</vatcode>"), header_extra="<journal>MEM</journal>"),
        "<totals><value>5.00</value></totals>")
    assert unknown_elements(parse_root(xml)) == [
        "transaction/header/journal", "transaction/lines/line/vatcode", "totals"]
    assert [x.amount for x in parse_journal(xml, PERIOD_END)] == [Decimal("5.00"), Decimal("-5.00")]
    assert unknown_elements(parse_root(TWO_TRANSACTIONS)) == []


def test_a_line_without_a_cost_unit_hashes_as_before_the_field_existed_so_booked_journals_stay_unchanged():
    def document(**extra):
        lines = (JournalLine(date(2026, 3, 31), "4000", Decimal("5"), "Bruto", cost_centre="KP1", **extra),
                 JournalLine(date(2026, 3, 31), "1610", Decimal("-5"), "Netto"))
        return SourceDocument(source="nmbrs", kind=DocumentKind.JOURNAL, source_id="nmbrs:company:1:run:2:journal",
                              period=Period.month(2026, 3), title="Journaal", journal_lines=lines)

    before = [{"entry_date": "2026-03-31", "gl_account": account, "amount": amount, "description": text,
               "cost_centre": centre, "contact_name": "", "contact_code": ""}
              for account, amount, text, centre in (("4000", "5.00", "Bruto", "KP1"), ("1610", "-5.00", "Netto", ""))]
    assert document().content_hash == hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()
    assert document(cost_unit="KD7").content_hash != document().content_hash, "a cost unit is part of the content"


NAMES = ("transactions", "transaction", "header", "date", "lines", "line", "dim1", "dim2", "dim3", "value",
         "debitcredit", "description", "vatcode")
TEXTS = ("", "4000", "20260331", "2026-13-45", "5.00", "-5.00", "1,5", "debit", "CREDIT", "x", " ")


def _trees():
    leaves = st.tuples(st.sampled_from(NAMES), st.sampled_from(TEXTS), st.just(()))
    return st.recursive(leaves, lambda children: st.tuples(st.sampled_from(NAMES), st.sampled_from(TEXTS),
                                                           st.lists(children, max_size=4).map(tuple)),
                        max_leaves=30)


def _xml(tree) -> str:
    name, text, children = tree
    return f"<{name}>{text}{''.join(_xml(child) for child in children)}</{name}>"


def test_any_journal_gives_balanced_lines_or_a_refusal_never_another_error():
    @settings(max_examples=300, deadline=None)
    @given(_trees())
    def check(tree):
        xml = _xml(tree)
        try:
            lines = parse_journal(xml, PERIOD_END)
        except UnusableJournal:
            return
        check_balanced(lines)
        assert all(line.gl_account and line.amount != 0 for line in lines)
        unknown_elements(parse_root(xml))

    check()
