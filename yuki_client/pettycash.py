"""Petty cash statements in the Yuki CSV format, and single statement lines (docs/vendors/yuki.md, to the letter).

Every documented rule is checked when a statement or line is created, so a bad one never reaches
Yuki: identical column headers, a 100XX petty cash account with its description, transaction code
<= 10 characters, name <= 34, description <= 1024 without ';', dates dd-mm-yyyy, amounts without
thousands separators, chronological order when balances are given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yuki_client.errors import StatementError

# "De kolomkoppen moeten identiek zijn." (docs/vendors/yuki.md), in the documented order.
HEADERS = ("Ledger account Petty Cash", "Petty cash description", "Transaction code", "Suspense account",
           "Name suspense account", "Date transaction", "Description", "Amount", "Balance petty cash",
           "Project code", "Project name")
SEPARATOR = ";"
# Decimal comma: the file is the Dutch ';'-separated CSV flavour (the seed writes amounts as 0,00).
# Uncertain (the CSV attachment of Yuki's page is not available): one constant to change.
DECIMAL_SEPARATOR = ","
DATE_FORMAT = "%d-%m-%Y"  # "in formaat dd-mm-jjjj"
PETTY_CASH_ACCOUNT = re.compile(r"^100\d\d$")  # "Dit is een 100XX grootboekrekening."
MAX_TRANSACTION_CODE = 10
MAX_NAME = 34
MAX_DESCRIPTION = 1024
CENT = Decimal("0.01")


def format_amount(amount: Decimal) -> str:
    """-1234.5 -> '-1234,50': never a thousands separator (docs/vendors/yuki.md)."""
    return f"{amount.quantize(CENT):f}".replace(".", DECIMAL_SEPARATOR)


def check_account(account: str, *, line: int | None = None) -> None:
    if not PETTY_CASH_ACCOUNT.match(account or ""):
        raise StatementError(f"ledger account {account!r} is not a petty cash account: Yuki requires a "
                             "100XX account (e.g. 10000).", line=line, field="account")


def check_text(value: str, what: str, maximum: int | None, line: int | None) -> None:
    if not isinstance(value, str):
        raise StatementError(f"{what} must be text, got {value!r}.", line=line, field=what)
    if SEPARATOR in value:
        # The format forbids ';' in the description; in any other field it would split the row too.
        raise StatementError(f"{what} may not contain ';' (it separates the CSV fields).", line=line, field=what)
    if "\n" in value or "\r" in value:
        raise StatementError(f"{what} may not contain a line break.", line=line, field=what)
    if maximum is not None and len(value) > maximum:
        raise StatementError(f"{what} is {len(value)} characters long; Yuki allows at most {maximum}.",
                             line=line, field=what)


def _check_amount(amount, what: str, line: int | None) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise StatementError(f"{what} must be a Decimal, got {amount!r}.", line=line, field=what)
    if amount != amount.quantize(CENT):
        raise StatementError(f"{what} {amount} has more than 2 decimals.", line=line, field=what)


@dataclass(frozen=True)
class StatementLine:
    """One petty cash transaction. `amount`: positive raises the cash balance, negative lowers it.
    `balance` is the cash balance after this line; give it on every line or on none."""

    transaction_date: date
    description: str
    amount: Decimal
    transaction_code: str = ""
    suspense_account: str = ""
    suspense_name: str = ""
    balance: Decimal | None = None
    project_code: str = ""
    project_name: str = ""

    def check(self, line: int | None = None) -> None:
        if not isinstance(self.transaction_date, date):
            raise StatementError(f"the transaction date must be a date, got {self.transaction_date!r}.",
                                 line=line, field="transaction_date")
        check_text(self.description, "description", MAX_DESCRIPTION, line)
        check_text(self.transaction_code, "transaction code", MAX_TRANSACTION_CODE, line)
        check_text(self.suspense_account, "suspense account", None, line)
        check_text(self.suspense_name, "name suspense account", MAX_NAME, line)
        check_text(self.project_code, "project code", None, line)
        check_text(self.project_name, "project name", None, line)
        _check_amount(self.amount, "amount", line)
        if self.balance is not None:
            _check_amount(self.balance, "balance", line)


@dataclass(frozen=True)
class PettyCashStatement:
    """A statement for ImportStatement: the petty cash account (100XX), its description exactly as in
    Yuki (else Yuki refuses the import), and the lines."""

    account: str
    account_description: str
    lines: tuple[StatementLine, ...] = field(default=())

    def __init__(self, account: str, account_description: str, lines: Iterable[StatementLine]):
        object.__setattr__(self, "account", (account or "").strip())
        object.__setattr__(self, "account_description", account_description or "")
        object.__setattr__(self, "lines", tuple(lines))
        self._check()

    def _check(self) -> None:
        check_account(self.account)
        check_text(self.account_description, "petty cash description", None, None)
        if not self.account_description.strip():
            raise StatementError("the petty cash description is required: give the description of ledger "
                                 f"account {self.account} exactly as it is in Yuki.", field="account_description")
        if not self.lines:
            raise StatementError("a statement needs at least one line.")
        for number, line in enumerate(self.lines, start=1):
            line.check(number)
        with_balance = [line.balance is not None for line in self.lines]
        if any(with_balance) and not all(with_balance):
            # Yuki would read the missing balances as 0,00 (docs/vendors/yuki.md): never what the user means.
            raise StatementError("give the balance on every line or on none: Yuki reads a missing balance "
                                 "as 0,00.", field="balance")
        if all(with_balance):
            for number, (earlier, later) in enumerate(zip(self.lines, self.lines[1:], strict=False), start=2):
                if later.transaction_date < earlier.transaction_date:
                    raise StatementError("with balances given, lines must be in chronological order, oldest "
                                         "first (docs/vendors/yuki.md).", line=number, field="transaction_date")

    def to_csv(self) -> str:
        rows = [SEPARATOR.join(HEADERS)]
        for line in self.lines:
            rows.append(SEPARATOR.join((
                self.account, self.account_description, line.transaction_code, line.suspense_account,
                line.suspense_name, line.transaction_date.strftime(DATE_FORMAT), line.description,
                format_amount(line.amount), "" if line.balance is None else format_amount(line.balance),
                line.project_code, line.project_name,
            )))
        return "\r\n".join(rows) + "\r\n"


@dataclass(frozen=True)
class SingleStatementLine:
    """One line for ImportSingleStatementLine (no administration ID: the access key's administration).
    Same field rules as the CSV; `amount`: costs negative, revenue positive (docs/vendors/yuki.md)."""

    account_gl_code: str
    transaction_date: date
    description: str
    amount: Decimal
    transaction_code: str = ""
    offset_account: str = ""
    offset_name: str = ""

    def __post_init__(self):
        check_account(self.account_gl_code, line=1)
        StatementLine(self.transaction_date, self.description, self.amount, self.transaction_code,
                      self.offset_account, self.offset_name).check(1)
