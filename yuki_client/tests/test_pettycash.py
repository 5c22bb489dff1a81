"""PettyCash imports end to end, and the sandbox enforcing every CSV rule of docs/vendors/yuki.md itself."""

from datetime import date
from decimal import Decimal

import pytest

from sandbox.yuki import data
from yuki_client import PettyCashStatement, Service, SingleStatementLine, StatementLine, YukiFault

HEADER = ("Ledger account Petty Cash;Petty cash description;Transaction code;Suspense account;"
          "Name suspense account;Date transaction;Description;Amount;Balance petty cash;Project code;Project name")


def test_a_statement_is_imported_with_every_line(client, sandbox):
    statement = PettyCashStatement("10000", "Kas", [
        StatementLine(date(2026, 11, 2), "Koffie", Decimal("-12.50"), "KOFFIE", "40500", "Albert Heijn",
                      Decimal("87.50")),
        StatementLine(date(2026, 11, 3), "Kasstorting", Decimal("1500.00"), balance=Decimal("1587.50")),
    ])
    result = client.import_statement(data.DEMO_ADMINISTRATION_ID, statement)

    [imported] = sandbox.app.state.petty_cash
    assert imported.id == result.document_id
    assert imported.statement_text == statement.to_csv()
    assert [(line["date"], line["amount"], line["balance"]) for line in imported.lines] == [
        (date(2026, 11, 2), Decimal("-12.50"), Decimal("87.50")),
        (date(2026, 11, 3), Decimal("1500.00"), Decimal("1587.50"))]


def test_a_wrong_petty_cash_description_is_refused_by_yuki(client, sandbox):
    statement = PettyCashStatement("10000", "Kasboek", [StatementLine(date(2026, 11, 2), "Koffie",
                                                                      Decimal("-1.00"))])
    with pytest.raises(YukiFault, match="does not match the description 'Kas'"):
        client.import_statement(data.DEMO_ADMINISTRATION_ID, statement)
    assert sandbox.app.state.petty_cash == []


def test_single_lines_with_and_without_project(client, sandbox):
    line = SingleStatementLine("10000", date(2026, 11, 4), "Postzegels", Decimal("-8.40"), "POST", "40600", "PostNL")
    client.import_single_statement_line(line)
    client.import_single_statement_project_line(line, "P-2026", "Verbouwing")

    single, project = sandbox.app.state.petty_cash
    assert single.operation == "ImportSingleStatementLine"
    assert single.lines[0]["date"] == date(2026, 11, 4)
    assert single.lines[0]["suspense_name"] == "PostNL"
    assert single.administration_id == data.DEMO_ADMINISTRATION_ID
    assert (project.lines[0]["project_code"], project.lines[0]["project_name"]) == ("P-2026", "Verbouwing")


def row(description="Koffie", amount="-12,50", balance="", day="02-11-2026", code="", name="",
        account="10000", account_description="Kas"):
    return f"{account};{account_description};{code};;{name};{day};{description};{amount};{balance};;"


@pytest.mark.parametrize(("text", "message"), [
    ("Ledger account;Petty cash description;Transaction code\n" + row(), "column headers"),
    (HEADER + "\n" + row(description="koffie;thee"), "may not contain ';'"),
    (HEADER + "\n" + row(description="x" * 1025), "description is longer than 1024"),
    (HEADER + "\n" + row(name="n" * 35), "name suspense account is longer than 34"),
    (HEADER + "\n" + row(code="c" * 11), "transaction code is longer than 10"),
    (HEADER + "\n" + row(day="2026-11-02"), "dd-mm-yyyy"),
    (HEADER + "\n" + row(amount="-1.234,50"), "no thousands separators"),
    (HEADER + "\n" + row(account="20000"), "not a petty cash account"),
    (HEADER + "\n" + row(day="03-11-2026", balance="10,00") + "\n" + row(day="02-11-2026", balance="5,00"),
     "chronological order"),
    (HEADER + "\n" + row(day="03-11-2026", balance="10,00") + "\n" + row(day="02-11-2026"),
     "chronological order"),  # a missing balance counts as 0,00 (docs/vendors/yuki.md)
])
def test_the_sandbox_refuses_every_broken_csv_rule(client, sandbox, text, message):
    with pytest.raises(YukiFault, match=message):
        client.call(Service.PETTYCASH, "ImportStatement",
                    {"administrationID": data.DEMO_ADMINISTRATION_ID, "statementText": text})
    assert sandbox.app.state.petty_cash == []


def test_the_sandbox_accepts_unordered_lines_without_balances(client, sandbox):
    text = HEADER + "\n" + row(day="03-11-2026") + "\n" + row(day="02-11-2026")
    client.call(Service.PETTYCASH, "ImportStatement",
                {"administrationID": data.DEMO_ADMINISTRATION_ID, "statementText": text})
    assert len(sandbox.app.state.petty_cash[0].lines) == 2


@pytest.mark.parametrize("header", [
    " " + HEADER,  # a space before the first header
    HEADER.replace("Amount", "amount"),  # another case
    HEADER.replace("Description;", "Description ;"),  # a space after one
])
def test_the_sandbox_wants_the_column_headers_identical(client, sandbox, header):
    with pytest.raises(YukiFault, match="column headers"):
        client.call(Service.PETTYCASH, "ImportStatement",
                    {"administrationID": data.DEMO_ADMINISTRATION_ID, "statementText": header + "\n" + row()})
    assert sandbox.app.state.petty_cash == []


def test_the_sandbox_refuses_a_single_line_on_an_account_the_administration_lacks(client, sandbox):
    with pytest.raises(YukiFault, match="does not exist"):
        client.import_single_statement_line(SingleStatementLine("10099", date(2026, 11, 4), "Postzegels",
                                                                Decimal("-8.40")))
    assert sandbox.app.state.petty_cash == []


def test_the_sandbox_page_shows_each_statement_received_with_its_lines(client, sandbox):
    from urllib.request import urlopen

    text = HEADER + "\n" + row(description="Koffie en thee", code="KOF") + "\n" + row(description="Verkoop",
                                                                                   amount="40,00")
    client.call(Service.PETTYCASH, "ImportStatement",
                {"administrationID": data.DEMO_ADMINISTRATION_ID, "statementText": text})
    page = urlopen(f"{sandbox.url}/administrations/{data.DEMO_ADMINISTRATION_ID}/").read().decode()  # noqa: S310
    assert "<h2>Kas</h2>" in page and "ImportStatement" in page
    assert "Koffie en thee" in page and "KOF" in page and "-12,50" in page and "40,00" in page
    assert sandbox.app.state.petty_cash[0].id in page
