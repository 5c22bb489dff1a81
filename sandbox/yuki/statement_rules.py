"""How the sandbox checks a petty cash statement in the Yuki CSV format (docs/vendors/yuki.md, to the letter).

Independent of yuki_client.pettycash on purpose, so the sandbox catches the builder's mistakes.
Separator ';' (the format forbids ';' in a description, which only matters if it separates fields).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from sandbox.yuki.state import SandboxAdministration, SoapFault

# "De kolomkoppen moeten identiek zijn." (docs/vendors/yuki.md)
HEADERS = ("Ledger account Petty Cash", "Petty cash description", "Transaction code", "Suspense account",
           "Name suspense account", "Date transaction", "Description", "Amount", "Balance petty cash",
           "Project code", "Project name")
PETTY_CASH_ACCOUNT = re.compile(r"^100\d\d$")  # "Dit is een 100XX grootboekrekening."
# No thousands separators: digits, then at most one decimal separator with 1-2 decimals.
AMOUNT = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")
MAX_TRANSACTION_CODE = 10
MAX_NAME = 34
MAX_DESCRIPTION = 1024


def parse_amount(text: str, what: str, line: int) -> Decimal:
    if not AMOUNT.match(text):
        raise SoapFault(f"Line {line}: {what} '{text}' is not a valid amount (no thousands separators, "
                        "at most 2 decimals).")
    return Decimal(text.replace(",", "."))


def check_petty_cash_account(code: str, description: str | None, administration: SandboxAdministration,
                             line: int) -> None:
    if not PETTY_CASH_ACCOUNT.match(code):
        raise SoapFault(f"Line {line}: ledger account '{code}' is not a petty cash account (100XX).")
    known = administration.gl_accounts.get(code)
    if known is None:
        raise SoapFault(f"Line {line}: ledger account '{code}' does not exist in this administration.")
    if description is not None and description != known:
        raise SoapFault(f"Line {line}: petty cash description '{description}' does not match the description "
                        f"'{known}' of ledger account {code}.")


def check_lengths(transaction_code: str, name: str, description: str, line: int) -> None:
    if len(transaction_code) > MAX_TRANSACTION_CODE:
        raise SoapFault(f"Line {line}: transaction code is longer than {MAX_TRANSACTION_CODE} characters.")
    if len(name) > MAX_NAME:
        raise SoapFault(f"Line {line}: name suspense account is longer than {MAX_NAME} characters.")
    if len(description) > MAX_DESCRIPTION:
        raise SoapFault(f"Line {line}: description is longer than {MAX_DESCRIPTION} characters.")


def read_statement(text: str, administration: SandboxAdministration) -> list[dict]:
    rows = [row for row in text.replace("\r\n", "\n").split("\n") if row.strip()]
    if not rows:
        raise SoapFault("The statement is empty.")
    # "De kolomkoppen moeten identiek zijn": compared as they are, not trimmed or case-folded.
    header = tuple(rows[0].split(";"))
    if header != HEADERS:
        raise SoapFault("The column headers are not the Yuki CSV headers. Expected: " + ";".join(HEADERS))
    lines = [_read_row(row, number, administration) for number, row in enumerate(rows[1:], start=2)]
    if not lines:
        raise SoapFault("The statement has no transactions.")
    if any(line["balance"] is not None for line in lines):
        # Balances given: transactions must be oldest first. Lines without one count as 0.00 (docs/vendors/yuki.md).
        for line in lines:
            if line["balance"] is None:
                line["balance"] = Decimal("0.00")
        for earlier, later in zip(lines, lines[1:], strict=False):
            if later["date"] < earlier["date"]:
                raise SoapFault(f"Line {later['line']}: with balances given, transactions must be in "
                                "chronological order (oldest first).")
    return lines


def _read_row(row: str, number: int, administration: SandboxAdministration) -> dict:
    cells = row.split(";")
    if len(cells) != len(HEADERS):
        raise SoapFault(f"Line {number}: expected {len(HEADERS)} fields, found {len(cells)} "
                        "(a description may not contain ';').")
    (account, account_description, code, suspense, name, day, description, amount, balance,
     project_code, project_name) = (cell.strip() for cell in cells)
    check_petty_cash_account(account, account_description, administration, number)
    check_lengths(code, name, description, number)
    try:
        transaction_date = datetime.strptime(day, "%d-%m-%Y").date()
    except ValueError as exc:
        raise SoapFault(f"Line {number}: date '{day}' is not in the format dd-mm-yyyy.") from exc
    if not re.fullmatch(r"\d{2}-\d{2}-\d{4}", day):
        raise SoapFault(f"Line {number}: date '{day}' is not in the format dd-mm-yyyy.")
    return {
        "line": number, "account": account, "transaction_code": code, "suspense_account": suspense,
        "suspense_name": name, "date": transaction_date, "description": description,
        "amount": parse_amount(amount, "amount", number),
        "balance": parse_amount(balance, "balance", number) if balance else None,
        "project_code": project_code, "project_name": project_name,
    }


def single_line(params: dict, administration: SandboxAdministration) -> dict:
    """Checks of ImportSingleStatementLine(/ProjectLine): the same field rules as the CSV."""
    account = (params.get("accountGlCode") or "").strip()
    check_petty_cash_account(account, None, administration, 1)
    code = params.get("transactionCode") or ""
    name = params.get("offsetName") or ""
    description = params.get("transactionDescription") or ""
    check_lengths(code, name, description, 1)
    amount = params.get("amount")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise SoapFault("Line 1: amount is required.")
    if amount != amount.quantize(Decimal("0.01")):
        raise SoapFault("Line 1: amount has more than 2 decimals.")
    when = params.get("transactionDate")
    if not isinstance(when, datetime):
        raise SoapFault("Line 1: transactionDate is required.")
    transaction_date: date = when.date()
    return {
        "line": 1, "account": account, "transaction_code": code,
        "suspense_account": params.get("offsetAccount") or "", "suspense_name": name,
        "date": transaction_date, "description": description, "amount": amount, "balance": None,
        "project_code": params.get("projectCode") or "", "project_name": params.get("projectName") or "",
    }
