"""Accounting.GLAccountTransactions: the bookings on one general ledger account between two dates.

Used to find out whether a journal whose answer was lost is in Yuki: every line of our journals
carries the journal's reference in its description, so a listing of one of its accounts on its date
shows the reference if Yuki booked it (docs/vendors/yuki.md, "Reconciling journals").

The request is Yuki's (the operations catalogue: sessionID, administrationID, GLAccountCode,
StartDate, EndDate). The answer is an XmlNode whose layout Yuki does not publish; what we read is the
one layout a public client of this operation reads. Anything else is refused as unreadable
(UnreadableAnswerError) rather than read as "nothing booked": a journal is never booked again on an
answer we do not understand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal, InvalidOperation

from lxml import etree

from yuki_client.errors import UnreadableAnswerError, YukiConfigurationError
from yuki_client.results import as_element

OPERATION = "GLAccountTransactions"
# The answer's layout (docs/vendors/yuki.md, "Reconciling journals"): a root element holding one
# TRANSACTION_ELEMENT per booking, each with these children. Description is what we match on, so an
# element without it makes the whole answer unreadable; Date and Amount are read when present.
TRANSACTION_ELEMENT = "GLAccountTransaction"
DESCRIPTION = "Description"
DATE = "Date"
AMOUNT = "Amount"


@dataclass(frozen=True)
class GLAccountTransaction:
    """One booking on the account. `entry_date`/`amount` are None when Yuki's answer lacks them."""

    description: str
    entry_date: date | None = None
    amount: Decimal | None = None


def params(administration_id: str, gl_account: str, start: date, end: date) -> dict:
    """The request's parameters after the session ID, in the catalogue's order. Both days are included:
    the listing runs from the start of `start` to the last second of `end`."""
    if not administration_id:
        raise YukiConfigurationError("An administration ID is required to list a general ledger account.")
    if not str(gl_account or "").strip():
        raise YukiConfigurationError("A general ledger account code is required to list its bookings.")
    if not isinstance(start, date) or not isinstance(end, date) or start > end:
        raise YukiConfigurationError(f"The listing needs a start date on or before its end date ({start}, {end}).")
    return {"administrationID": administration_id, "GLAccountCode": str(gl_account).strip(),
            "StartDate": datetime.combine(start, dtime()), "EndDate": datetime.combine(end, dtime(23, 59, 59))}


def _local(element) -> str:
    return etree.QName(element).localname


def _children(element) -> list:
    return [child for child in element if isinstance(child.tag, str)]


def read(result) -> list[GLAccountTransaction]:
    """The bookings in a GLAccountTransactions answer, in Yuki's order. An empty root is a listing with
    no bookings; no root at all, or any element we do not know, raises UnreadableAnswerError."""
    root = as_element(result)
    if root is None:
        raise UnreadableAnswerError(f"Yuki answered {OPERATION} without a listing.", operation=OPERATION)
    transactions = []
    for element in _children(root):
        if _local(element) != TRANSACTION_ELEMENT:
            raise UnreadableAnswerError(
                f"Yuki answered {OPERATION} with an element {_local(element)!r} where {TRANSACTION_ELEMENT!r} "
                "was expected; the listing cannot be read.", operation=OPERATION)
        fields = {_local(child): (child.text or "") for child in _children(element)}
        if DESCRIPTION not in fields:
            raise UnreadableAnswerError(
                f"Yuki answered {OPERATION} with a booking without a {DESCRIPTION}; the listing cannot be read.",
                operation=OPERATION)
        transactions.append(GLAccountTransaction(fields[DESCRIPTION].strip(), _date(fields.get(DATE)),
                                                 _amount(fields.get(AMOUNT))))
    return transactions


def _date(text: str | None) -> date | None:
    try:
        return datetime.fromisoformat(text.strip()).date() if text and text.strip() else None
    except ValueError:
        return None


def _amount(text: str | None) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text and text.strip() else None
    except InvalidOperation:
        return None


def with_reference(transactions: list[GLAccountTransaction], reference: str) -> list[GLAccountTransaction]:
    """The bookings whose description holds `reference` exactly (case as written: ours are lower case)."""
    if not reference:
        raise YukiConfigurationError("A reference is required to look for a journal in a listing.")
    return [transaction for transaction in transactions if reference in transaction.description]
