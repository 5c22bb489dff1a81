"""The petty cash file's rules (portal/petty_cash.py), as Yuki's help page states them: every error found,
each with its row and Yuki's column name, in Dutch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from portal import petty_cash
from portal.petty_cash import Method

HEADER = ";".join(petty_cash.HEADERS)


def row(description="Koffie", amount="-12,50", balance="", day="02-11-2026", code="", name="", account="10000",
        account_description="Kas", project=""):
    return f"{account};{account_description};{code};4000;{name};{day};{description};{amount};{balance};{project};"


def read(*rows, header=HEADER, chart=None):
    with translation.override("nl"):
        return petty_cash.read_text("\r\n".join([header, *rows]) + "\r\n", chart)


def refusals(*rows, **kwargs) -> list[tuple[int, str, str]]:
    prepared, errors = read(*rows, **kwargs)
    assert prepared is None
    return [(e.row, e.column, e.message) for e in errors]


def test_a_good_statement_is_prepared_with_every_line_and_the_csv_to_send():
    prepared, errors = read(row(), row(description="Verkoop", amount="40", day="03-11-2026", project="P-1"))
    assert errors == []
    assert prepared.method == Method.STATEMENT and prepared.account == "10000"
    assert [line.amount for line in prepared.lines] == [Decimal("-12.50"), Decimal("40")]
    assert prepared.lines[1].project_code == "P-1" and prepared.total == Decimal("27.50")
    assert prepared.text.splitlines()[0] == HEADER and "-12,50" in prepared.text


@pytest.mark.parametrize(("bad_row", "column", "words"), [
    (row(account="20000"), "Ledger account Petty Cash", "geen kasrekening"),
    (row(account=""), "Ledger account Petty Cash", "verplicht"),
    (row(account_description=""), "Petty cash description", "verplicht"),
    (row(code="c" * 11), "Transaction code", "hoogstens 10"),
    (row(name="n" * 35), "Name suspense account", "hoogstens 34"),
    (row(description="x" * 1025), "Description", "hoogstens 1024"),
    (row(description="koffie;thee"), "Description", "mag geen ';' bevatten"),
    (row(day="2026-11-02"), "Date transaction", "dd-mm-jjjj"),
    (row(day="31-11-2026"), "Date transaction", "dd-mm-jjjj"),
    (row(day="2-11-2026"), "Date transaction", "dd-mm-jjjj"),
    (row(day=""), "Date transaction", "verplicht"),
    (row(amount="-1.234,50"), "Amount", "geen scheidingstekens voor duizendtallen"),
    (row(amount="-12,505"), "Amount", "hoogstens twee decimalen"),
    (row(amount="12.50"), "Amount", "decimale komma"),
    (row(amount=""), "Amount", "verplicht"),
])
def test_each_broken_rule_is_named_by_row_and_column(bad_row, column, words):
    found = refusals(row(), bad_row, row())
    assert len(found) == 1, found
    assert found[0][:2] == (3, column) and words in found[0][2]


def test_every_bad_row_is_reported_not_only_the_first():
    found = refusals(row(amount="1.000"), row(), row(day="32-01-2026", code="c" * 11))
    assert [(r, c) for r, c, _m in found] == [(2, "Amount"), (4, "Transaction code"), (4, "Date transaction")]


def test_the_headers_must_be_identical():
    found = refusals(row(), header=HEADER.replace("Amount", "Bedrag").replace("Description", " Description"))
    assert [(r, c) for r, c, _m in found] == [(1, "Description"), (1, "Amount")]
    assert "heet 'Bedrag'; Yuki vereist precies 'Amount'" in found[1][2]


def test_a_missing_column_is_named():
    found = refusals(row(), header=HEADER.rsplit(";", 1)[0])
    assert (1, "Project name") in [(r, c) for r, c, _m in found]


def test_one_petty_cash_account_per_statement():
    found = refusals(row(), row(account="10010", account_description="Kas filiaal"))
    assert [(r, c) for r, c, _m in found] == [(3, "Ledger account Petty Cash")]
    # The first row refused for another reason: the message names the row whose account counts (row 3).
    found = refusals(row(account="20000"), row(), row(account="10010", account_description="Kas filiaal"))
    assert [(r, c) for r, c, _m in found] == [(2, "Ledger account Petty Cash"), (4, "Ledger account Petty Cash")]
    assert "regel 3 heeft 10000" in found[1][2], found[1][2]


def test_balances_on_some_rows_only_are_refused_on_the_rows_without_one():
    found = refusals(row(balance="100,00"), row(), row(balance="80,00"))
    assert [(r, c) for r, c, _m in found] == [(3, "Balance petty cash")]
    assert "0,00" in found[0][2]
    found = refusals(row(balance="100,00"), row(balance="1.000,00"))
    assert [(r, c) for r, c, _m in found] == [(3, "Balance petty cash")] and "duizendtallen" in found[0][2]


def test_with_balances_rows_must_be_oldest_first_without_them_any_order():
    found = refusals(row(day="03-11-2026", balance="10,00"), row(day="02-11-2026", balance="5,00"))
    assert [(r, c) for r, c, _m in found] == [(3, "Date transaction")]
    assert read(row(day="03-11-2026"), row(day="02-11-2026"))[1] == []


def test_the_description_must_be_yukis_when_the_chart_is_known():
    found = refusals(row(account_description="Kasboek"), chart={"10000": "Kas"})
    assert found[0][:2] == (2, "Petty cash description") and "'Kas'" in found[0][2]
    assert refusals(row(account="10050"), chart={"10000": "Kas"})[0][:2] == (2, "Ledger account Petty Cash")
    assert read(row(), chart={"10000": "Kas"})[1] == []


def test_an_empty_file_a_header_only_and_a_binary_file_are_refused_in_words():
    with translation.override("nl"):
        assert "leeg" in petty_cash.read_file(b"")[1][0].message
        assert "geen transacties" in petty_cash.read_file(HEADER.encode())[1][0].message
        assert petty_cash.read_file(b"\xff\xfe\x00\x00\x81")[0] is None


def test_a_windows_1252_file_from_excel_is_read():
    prepared, errors = petty_cash.read_file(f"{HEADER}\r\n{row(description='Café')}\r\n".encode("cp1252"))
    assert errors == [] and prepared.lines[0].description == "Café"


def test_the_errors_speak_english_on_request():
    with translation.override("en"):
        _prepared, errors = petty_cash.read_text(f"{HEADER}\n{row(amount='1.000')}\n")
    assert "no thousands separators" in errors[0].message


def test_single_lines_with_and_without_a_project_and_the_content_hash_keys_them():
    plain = petty_cash.single_line(account="10000", transaction_date=date(2026, 11, 4), description="Zegels",
                                   amount=Decimal("-8.40"))
    project = petty_cash.single_line(account="10000", transaction_date=date(2026, 11, 4), description="Zegels",
                                     amount=Decimal("-8.40"), project_code="P-1")
    assert (plain.method, project.method) == (Method.LINE, Method.PROJECT_LINE)
    assert plain.content_hash != project.content_hash
    assert petty_cash.Prepared.from_json(plain.as_json()).content_hash == plain.content_hash
    prepared, _errors = read(row())
    assert petty_cash.Prepared.from_json(prepared.as_json()).text == prepared.text
