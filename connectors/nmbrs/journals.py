"""Nmbrs journal XML (`Journals_GetByRunCompany_v2`) -> balanced `JournalLine`s.

The layout is the one Nmbrs really returns (docs/vendors/nmbrs.md, "Journals"): a root element with
one `transaction` per booking; each transaction has `header/date` (YYYYMMDD) and `lines/line`, and
each line `dim1` (the ledger account), `dim2` and `dim3` (cost centre and cost unit, often empty),
`value` (a decimal with a dot), `debitcredit` (`debit` or `credit`) and `description`.

Every element the reader knows is in `KNOWN`; anything else is ignored and named by
`unknown_elements` (the deep check reports it), except a `line` outside `transaction/lines`: ignoring
that would silently lose an amount, so such a journal is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from connectors.documents import JournalLine
from connectors.nmbrs.errors import UnreadableJournalLayout, UnusableJournal

TRANSACTION = "transaction"
# Below the root: each element the reader knows -> the child elements it knows there.
KNOWN = {
    TRANSACTION: ("header", "lines"),
    "header": ("date",),
    "lines": ("line",),
    "line": ("dim1", "dim2", "dim3", "value", "debitcredit", "description"),
}
LINE_PATH = "transaction/lines/line"
DEBIT, CREDIT = "debit", "credit"
# A decimal with a dot, as Nmbrs writes it. A comma is refused rather than guessed at: '1,234' could
# be either a thousand or one and a bit.
AMOUNT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class Transaction:
    """One booking of a run's journal: its position in the export (1, 2, ...), its date, its lines."""

    number: int
    entry_date: date
    lines: tuple[JournalLine, ...]


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [child for child in el if _local(child) == name]


def _text(el, name: str) -> str:
    found = _children(el, name)
    return (found[0].text or "").strip() if found else ""


def parse_root(xml: str | bytes):
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnusableJournal(f"The Nmbrs journal is not readable XML: {exc}") from exc


def unknown_elements(root) -> list[str]:
    """The paths (below the root, e.g. 'transaction/lines/line/vatcode') of the elements the reader
    does not know and so ignores, each once, in document order."""
    found: dict[str, None] = {}

    def walk(el, path: str, known: tuple[str, ...]):
        for child in el:
            name = _local(child)
            if not name:  # a comment or processing instruction
                continue
            child_path = f"{path}/{name}" if path else name
            if name in known:
                walk(child, child_path, KNOWN.get(name, ()))
            else:
                found.setdefault(child_path)

    walk(root, "", (TRANSACTION,))
    return list(found)


def _misplaced_lines(root) -> int:
    """`line` elements anywhere but transaction/lines/line: amounts the reader would otherwise drop."""

    def placed(el) -> bool:
        lines = el.getparent()
        if lines is None or _local(lines) != "lines":
            return False
        transaction = lines.getparent()
        return transaction is not None and _local(transaction) == TRANSACTION and transaction.getparent() is root

    return sum(1 for el in root.iter() if _local(el) == "line" and not placed(el))


def parse_amount(text: str, account: str) -> Decimal:
    value = text.strip()
    if not AMOUNT.fullmatch(value):
        raise UnusableJournal(f"The Nmbrs journal has an unreadable amount {text!r} on account {account!r} "
                              "(Nmbrs writes amounts as digits with a decimal point).")
    return Decimal(value)


def _parse_date(text: str, number: int) -> date:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise UnusableJournal(f"Transaction {number} of the Nmbrs journal has an unreadable date {text!r} "
                              "(expected YYYYMMDD).") from exc


def _line(el, entry_date: date, number: int) -> JournalLine | None:
    account = _text(el, "dim1")
    side = _text(el, "debitcredit").lower()
    amount = parse_amount(_text(el, "value"), account)
    if amount == 0:
        return None
    if not account:
        raise UnusableJournal(f"Transaction {number} of the Nmbrs journal has a line without a ledger account "
                              "(dim1).")
    if side not in (DEBIT, CREDIT):
        raise UnusableJournal(f"Transaction {number} of the Nmbrs journal has a line on account {account!r} that "
                              f"is neither debit nor credit ({_text(el, 'debitcredit')!r}).")
    return JournalLine(entry_date=entry_date, gl_account=account, amount=amount if side == DEBIT else -amount,
                       description=_text(el, "description") or account, cost_centre=_text(el, "dim2"),
                       cost_unit=_text(el, "dim3"))


def read_transactions(xml: str | bytes, default_date: date) -> tuple[Transaction, ...]:
    """The transactions of a run's journal, each balanced on its own; lines of zero dropped. A
    transaction without a date is dated `default_date` (the period end). Raises UnusableJournal when
    the XML is not the layout above, has unreadable values, no amounts, or a transaction that does
    not balance."""
    root = parse_root(xml)
    transactions = _children(root, TRANSACTION)
    if not transactions:
        raise UnreadableJournalLayout(
            f"The Nmbrs journal has no '{TRANSACTION}' elements (root '{_local(root)}', children "
            f"{sorted({_local(child) for child in root if _local(child)})}): not the layout the portal reads.")
    if misplaced := _misplaced_lines(root):
        raise UnreadableJournalLayout(f"The Nmbrs journal has {misplaced} line(s) outside {LINE_PATH}: not the "
                                      "layout the portal reads.")
    out = []
    for number, el in enumerate(transactions, start=1):
        headers = _children(el, "header")
        date_text = _text(headers[0], "date") if headers else ""
        entry_date = _parse_date(date_text, number) if date_text else default_date
        lines = tuple(line for lines in _children(el, "lines") for item in _children(lines, "line")
                      if (line := _line(item, entry_date, number)) is not None)
        total = sum((line.amount for line in lines), Decimal("0.00"))
        if total != 0:
            raise UnusableJournal(f"Transaction {number} ({entry_date.isoformat()}) of the Nmbrs journal does not "
                                  f"balance: its lines sum to {total}. Check the run's journal in Nmbrs.")
        if lines:
            out.append(Transaction(number, entry_date, lines))
    if not out:
        raise UnusableJournal("The Nmbrs journal holds no lines with an amount.")
    return tuple(out)


def parse_journal(xml: str | bytes, default_date: date) -> tuple[JournalLine, ...]:
    """All lines of a run's journal, transaction after transaction: one Yuki journal per run
    (docs/vendors/nmbrs.md, "Journals": why one per run)."""
    return tuple(line for transaction in read_transactions(xml, default_date) for line in transaction.lines)
