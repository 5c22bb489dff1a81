"""Petty cash ("Kas"): a cash statement read from a file in Yuki's CSV format, or one line entered on the
page, checked row by row and column by column before anything is sent (docs/vendors/yuki.md, "Petty cash").

The rules are those of Yuki's help page on its PettyCash service, to the letter; the file's own column
names (Yuki's, in English) name the column of each error, so the user finds it in the file. The statement
as it will be sent is `Prepared`; its content hash keys its ledger entry (portal/imports/petty_cash_sending.py),
so one statement is booked once, however often it is sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from yuki_client import PettyCashStatement, SingleStatementLine, StatementError, StatementLine
from yuki_client import pettycash as rules

HEADERS = rules.HEADERS
(ACCOUNT, ACCOUNT_DESCRIPTION, TRANSACTION_CODE, SUSPENSE_ACCOUNT, SUSPENSE_NAME, DATE, DESCRIPTION, AMOUNT,
 BALANCE, PROJECT_CODE, PROJECT_NAME) = HEADERS
# "Scheidingstekens voor duizendtallen kunnen niet worden gebruikt": digits, a decimal comma, two decimals.
AMOUNT_PATTERN = re.compile(r"^-?\d+(?:" + re.escape(rules.DECIMAL_SEPARATOR) + r"\d{1,2})?$")
DATE_PATTERN = re.compile(r"^\d{2}-\d{2}-\d{4}$")  # "in formaat dd-mm-jjjj"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class Method:
    """Which PettyCash operation books it."""

    STATEMENT = "statement"  # ImportStatement: the whole CSV
    LINE = "line"  # ImportSingleStatementLine
    PROJECT_LINE = "project_line"  # ImportSingleStatementProjectLine


@dataclass(frozen=True)
class RowError:
    """One refusal: the file's row (1 is the header row) and Yuki's column name, or 0/"" for the file."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Prepared:
    """A statement or single line that passed every check, as it will be sent."""

    method: str
    account: str
    account_description: str
    lines: tuple[StatementLine, ...]
    project_code: str = ""
    project_name: str = ""
    text: str = field(default="", compare=False)  # the CSV as sent (statements), for the preview and the ledger

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.as_json(), sort_keys=True).encode()).hexdigest()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def statement(self) -> PettyCashStatement:
        return PettyCashStatement(self.account, self.account_description, self.lines)

    def single_line(self) -> SingleStatementLine:
        line = self.lines[0]
        return SingleStatementLine(self.account, line.transaction_date, line.description, line.amount,
                                   line.transaction_code, line.suspense_account, line.suspense_name)

    def as_json(self) -> dict:
        """What the ledger keeps of it (LedgerEntry.metadata): enough to send it again, and to show it."""
        return {
            "method": self.method, "account": self.account, "account_description": self.account_description,
            "project_code": self.project_code, "project_name": self.project_name,
            "lines": [{"date": line.transaction_date.isoformat(), "description": line.description,
                       "amount": str(line.amount), "transaction_code": line.transaction_code,
                       "suspense_account": line.suspense_account, "suspense_name": line.suspense_name,
                       "balance": None if line.balance is None else str(line.balance),
                       "project_code": line.project_code, "project_name": line.project_name}
                      for line in self.lines],
        }

    @classmethod
    def from_json(cls, data: dict) -> Prepared:
        lines = tuple(StatementLine(
            date.fromisoformat(item["date"]), item["description"], Decimal(item["amount"]),
            item.get("transaction_code", ""), item.get("suspense_account", ""), item.get("suspense_name", ""),
            None if item.get("balance") is None else Decimal(item["balance"]), item.get("project_code", ""),
            item.get("project_name", "")) for item in data["lines"])
        prepared = cls(data["method"], data["account"], data.get("account_description", ""), lines,
                       data.get("project_code", ""), data.get("project_name", ""))
        if prepared.method == Method.STATEMENT:
            return cls(**{**prepared.__dict__, "text": prepared.statement().to_csv()})
        return prepared


def decode(data: bytes) -> str | None:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it; None if neither."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_file(data: bytes, chart: dict[str, str] | None = None) -> tuple[Prepared | None, list[RowError]]:
    """A file in Yuki's CSV format: the statement, or every error found (not just the first).
    `chart`: the administration's ledger accounts as last read from Yuki, if known (no call here): then the
    petty cash description must be the account's own, as Yuki demands."""
    if len(data) > MAX_FILE_BYTES:
        return None, [RowError(0, "", _("The file is larger than 2 MB; a petty cash statement is much smaller."))]
    text = decode(data)
    if text is None:
        return None, [RowError(0, "", _("The file is not a text file (CSV)."))]
    return read_text(text, chart)


def read_text(text: str, chart: dict[str, str] | None = None) -> tuple[Prepared | None, list[RowError]]:
    rows = [row for row in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if row.strip()]
    if not rows:
        return None, [RowError(0, "", _("The file is empty."))]
    errors = _header_errors(rows[0].split(rules.SEPARATOR))
    if errors:
        return None, errors
    if len(rows) == 1:
        return None, [RowError(0, "", _("The file has column headers but no transactions."))]
    if len(rows) - 1 > MAX_ROWS:
        return None, [RowError(0, "", _("The file has more than %(n)s transactions; split it.") % {"n": MAX_ROWS})]
    lines: list[tuple[int, StatementLine]] = []
    accounts: list[tuple[int, str, str]] = []
    balances: list[tuple[int, bool]] = []
    for number, row in enumerate(rows[1:], start=2):
        line, row_errors, account, balance_given = _read_row(number, row, chart)
        errors += row_errors
        if account is not None and not any(e.column in (ACCOUNT, ACCOUNT_DESCRIPTION) for e in row_errors):
            accounts.append((number, *account))  # a row whose account is refused already says so
        if balance_given is not None:
            balances.append((number, balance_given))
        if line is not None:
            lines.append((number, line))
    errors += _statement_errors(accounts, balances, lines)
    if errors:
        return None, sorted(errors, key=lambda error: (error.row, HEADERS.index(error.column)
                                                       if error.column in HEADERS else -1))
    account, description = accounts[0][1], accounts[0][2]
    try:
        statement = PettyCashStatement(account, description, [line for _number, line in lines])
    except StatementError as exc:  # the client's own check: never expected after ours, but never a 500
        return None, [RowError(exc.line + 1 if exc.line else 0, "", str(exc))]
    return Prepared(Method.STATEMENT, account, description, statement.lines, text=statement.to_csv()), []


def _header_errors(cells: list[str]) -> list[RowError]:
    """"De kolomkoppen moeten identiek zijn.": every header named where it differs."""
    cells = [cell.rstrip("\r") for cell in cells]
    errors = []
    for index, expected in enumerate(HEADERS):
        found = cells[index] if index < len(cells) else None
        if found is None:
            errors.append(RowError(1, expected, _("The column '%(column)s' is missing; Yuki requires these column "
                                                  "headers exactly, in this order.") % {"column": expected}))
        elif found != expected:
            errors.append(RowError(1, expected, _("Column %(n)s is headed '%(found)s'; Yuki requires exactly "
                                                  "'%(column)s'.") % {"n": index + 1, "found": found,
                                                                      "column": expected}))
    if len(cells) > len(HEADERS):
        errors.append(RowError(1, "", _("The header row has %(n)s columns; Yuki's format has %(expected)s.") % {
            "n": len(cells), "expected": len(HEADERS)}))
    return errors


def _read_row(number: int, row: str, chart):
    cells = row.split(rules.SEPARATOR)
    if len(cells) != len(HEADERS):
        return None, [RowError(number, DESCRIPTION if len(cells) > len(HEADERS) else "", _(
            "This row has %(n)s fields; Yuki's format has %(expected)s. A description may not contain ';'.")
            % {"n": len(cells), "expected": len(HEADERS)})], None, None
    values = dict(zip(HEADERS, (cell.strip() for cell in cells), strict=True))
    errors: list[RowError] = []

    def refuse(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    account, account_description = values[ACCOUNT], values[ACCOUNT_DESCRIPTION]
    if not account:
        refuse(ACCOUNT, _("The petty cash ledger account is required (a 100XX account, e.g. 10000)."))
    elif not rules.PETTY_CASH_ACCOUNT.match(account):
        refuse(ACCOUNT, _("'%(value)s' is not a petty cash account: Yuki requires a 100XX account (e.g. 10000).")
               % {"value": account})
    elif chart and account not in chart:
        refuse(ACCOUNT, _("Ledger account %(value)s does not exist in this Yuki administration.") % {"value": account})
    if not account_description:
        refuse(ACCOUNT_DESCRIPTION, _("The description of the petty cash account is required, exactly as in Yuki."))
    elif chart and account in chart and chart[account] != account_description:
        refuse(ACCOUNT_DESCRIPTION, _("'%(value)s' is not the description of ledger account %(account)s in Yuki "
                                      "('%(yuki)s'); Yuki refuses the import unless they are equal.") % {
            "value": account_description, "account": account, "yuki": chart[account]})
    _max_length(refuse, values, TRANSACTION_CODE, rules.MAX_TRANSACTION_CODE)
    _max_length(refuse, values, SUSPENSE_NAME, rules.MAX_NAME)
    _max_length(refuse, values, DESCRIPTION, rules.MAX_DESCRIPTION)
    transaction_date = _date(refuse, values[DATE])
    amount = _amount(refuse, AMOUNT, values[AMOUNT], required=True)
    balance = _amount(refuse, BALANCE, values[BALANCE], required=False)
    line = None
    if not errors:
        line = StatementLine(transaction_date, values[DESCRIPTION], amount, values[TRANSACTION_CODE],
                             values[SUSPENSE_ACCOUNT], values[SUSPENSE_NAME], balance, values[PROJECT_CODE],
                             values[PROJECT_NAME])
    return line, errors, (account, account_description), bool(values[BALANCE])


def _max_length(refuse, values: dict, column: str, maximum: int) -> None:
    if len(values[column]) > maximum:
        refuse(column, _("%(n)s characters; Yuki allows at most %(maximum)s.") % {
            "n": len(values[column]), "maximum": maximum})


def _date(refuse, value: str) -> date | None:
    if not value:
        refuse(DATE, _("The date is required, as dd-mm-yyyy (e.g. 30-11-2026)."))
        return None
    try:
        if not DATE_PATTERN.match(value):
            raise ValueError(value)
        return datetime.strptime(value, rules.DATE_FORMAT).date()
    except ValueError:
        refuse(DATE, _("'%(value)s' is not a date as dd-mm-yyyy (e.g. 30-11-2026).") % {"value": value})
        return None


def _amount(refuse, column: str, value: str, *, required: bool) -> Decimal | None:
    if not value:
        if required:
            refuse(column, _("The amount is required: positive raises the cash balance, negative lowers it."))
        return None
    if not AMOUNT_PATTERN.match(value):
        refuse(column, _("'%(value)s' is not an amount Yuki accepts: digits with a decimal comma and at most two "
                         "decimals, no thousands separators (e.g. -1234,50).") % {"value": value})
        return None
    return Decimal(value.replace(rules.DECIMAL_SEPARATOR, "."))


def _statement_errors(accounts, balances, lines) -> list[RowError]:
    """Rules over the rows together: one petty cash account per statement; balances on every row or none
    (Yuki reads a missing one as 0,00, never what is meant); with balances, oldest first."""
    errors = []
    if accounts:
        first = accounts[0]
        for number, account, description in accounts[1:]:
            if (account, description) != first[1:]:
                errors.append(RowError(number, ACCOUNT, _(
                    "A statement is for one petty cash account: row %(row)s has %(first)s, this row %(this)s.") % {
                        "row": first[0], "first": f"{first[1]} {first[2]}", "this": f"{account} {description}"}))
    if any(given for _number, given in balances) and not all(given for _number, given in balances):
        for number, given in balances:
            if not given:
                errors.append(RowError(number, BALANCE, _(
                    "The balance is missing while other rows give one; Yuki would read it as 0,00. Give it on "
                    "every row or on none.")))
    elif balances and all(given for _number, given in balances):
        for (_earlier_number, earlier), (number, later) in zip(lines, lines[1:], strict=False):
            if later.transaction_date < earlier.transaction_date:
                errors.append(RowError(number, DATE, _(
                    "With balances given, rows must be in date order, oldest first; this row is earlier than "
                    "the row above it.")))
    return errors


def single_line(*, account: str, transaction_date: date, description: str, amount: Decimal,
                transaction_code: str = "", offset_account: str = "", offset_name: str = "",
                project_code: str = "", project_name: str = "") -> Prepared:
    """A line entered on the page (already checked field by field by its form). With a project code or
    name it goes through ImportSingleStatementProjectLine."""
    method = Method.PROJECT_LINE if (project_code or project_name) else Method.LINE
    line = StatementLine(transaction_date, description, amount, transaction_code, offset_account, offset_name,
                         None, project_code, project_name)
    prepared = Prepared(method, account, "", (line,), project_code, project_name)
    prepared.single_line()  # the client's own checks (raises StatementError)
    return prepared
