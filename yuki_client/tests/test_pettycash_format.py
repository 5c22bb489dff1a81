"""The Yuki CSV format for ImportStatement, rule by rule from docs/vendors/yuki.md."""

from datetime import date
from decimal import Decimal

import pytest

from yuki_client import PettyCashStatement, SingleStatementLine, StatementError, StatementLine
from yuki_client.pettycash import HEADERS

SEED_HEADER = ("Ledger account Petty Cash;Petty cash description;Transaction code;Suspense account;"
               "Name suspense account;Date transaction;Description;Amount;Balance petty cash;Project code;"
               "Project name")


def line(**overrides):
    values = {"transaction_date": date(2026, 11, 2), "description": "Koffie en melk", "amount": Decimal("-12.50")}
    values.update(overrides)
    return StatementLine(**values)


def statement(*lines, account="10000", description="Kas"):
    return PettyCashStatement(account, description, lines or [line()])


def test_csv_has_the_seeds_headers_in_order_and_one_row_per_line():
    csv = statement(line(transaction_code="KOFFIE", suspense_account="40500", suspense_name="Albert Heijn",
                         balance=Decimal("87.50"), project_code="P1", project_name="Kantine")).to_csv()

    rows = csv.split("\r\n")
    assert rows[0] == SEED_HEADER
    assert ";".join(HEADERS) == SEED_HEADER
    assert rows[1] == "10000;Kas;KOFFIE;40500;Albert Heijn;02-11-2026;Koffie en melk;-12,50;87,50;P1;Kantine"
    assert rows[2:] == [""]


def test_amounts_never_carry_thousands_separators():
    csv = statement(line(amount=Decimal("1234567.80"))).to_csv()
    assert ";1234567,80;" in csv


def test_dates_are_dd_mm_yyyy():
    csv = statement(line(transaction_date=date(2026, 1, 5))).to_csv()
    assert ";05-01-2026;" in csv


@pytest.mark.parametrize("account", ["1000", "20000", "10A00", "100000", ""])
def test_the_ledger_account_must_be_a_100xx_account(account):
    with pytest.raises(StatementError, match="100XX"):
        statement(account=account)


def test_the_petty_cash_description_is_required():
    with pytest.raises(StatementError, match="description is required"):
        statement(description=" ")


def test_a_description_may_not_contain_a_semicolon():
    with pytest.raises(StatementError, match="line 1: description may not contain ';'"):
        statement(line(description="koffie; thee"))


def test_a_description_is_at_most_1024_characters():
    statement(line(description="x" * 1024))
    with pytest.raises(StatementError, match="1025 characters long; Yuki allows at most 1024"):
        statement(line(description="x" * 1025))


def test_the_name_suspense_account_is_at_most_34_characters():
    statement(line(suspense_name="n" * 34))
    with pytest.raises(StatementError, match="name suspense account is 35 characters"):
        statement(line(suspense_name="n" * 35))


def test_the_transaction_code_is_at_most_10_characters():
    statement(line(transaction_code="c" * 10))
    with pytest.raises(StatementError, match="transaction code is 11 characters"):
        statement(line(transaction_code="c" * 11))


def test_with_balances_the_lines_must_be_oldest_first():
    older = line(transaction_date=date(2026, 11, 1), balance=Decimal("100.00"))
    newer = line(transaction_date=date(2026, 11, 2), balance=Decimal("87.50"))
    statement(older, newer)
    with pytest.raises(StatementError, match="line 2: with balances given, lines must be in chronological"):
        statement(newer, older)


def test_without_balances_the_order_does_not_matter():
    statement(line(transaction_date=date(2026, 11, 2)), line(transaction_date=date(2026, 11, 1)))


def test_balances_on_some_lines_only_are_refused_because_yuki_reads_them_as_zero():
    with pytest.raises(StatementError, match="every line or on none"):
        statement(line(balance=Decimal("10.00")), line())


@pytest.mark.parametrize("amount", [Decimal("1.001"), 3.5, "3,50"])
def test_amounts_are_decimals_in_cents(amount):
    with pytest.raises(StatementError, match="amount"):
        statement(line(amount=amount))


def test_an_empty_statement_is_refused():
    with pytest.raises(StatementError, match="at least one line"):
        PettyCashStatement("10000", "Kas", [])


def test_single_lines_follow_the_same_field_rules():
    SingleStatementLine("10000", date(2026, 11, 2), "Postzegels", Decimal("-8.40"), "POST", "40600", "PostNL")
    with pytest.raises(StatementError, match="100XX"):
        SingleStatementLine("40000", date(2026, 11, 2), "Postzegels", Decimal("-8.40"))
    with pytest.raises(StatementError, match="transaction code"):
        SingleStatementLine("10000", date(2026, 11, 2), "Postzegels", Decimal("-8.40"), "C" * 11)
    with pytest.raises(StatementError, match="name suspense account"):
        SingleStatementLine("10000", date(2026, 11, 2), "Postzegels", Decimal("-8.40"), offset_name="n" * 35)
