"""AccountingInfo.GetTransactions: the transactions on one general ledger account between two dates,
a page at a time, with the data groups asked for.

docs/vendors/yuki.md, "Listing transactions": the catalogue gives the parameters (sessionID,
administrationID, glAccountCode, startDate, endDate, financialMode, dataGroups, numberOfRecords,
startRecord, searchValues) and types the answer ArrayOfTransaction; a public client read `id`,
`transactionDate`, `description`, `amount` and, when asked for by name in `dataGroups`, the groups
`contact` and `foreignCurrency`. An item without an `id` is refused as unreadable rather than skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal, InvalidOperation

from yuki_client.errors import UnreadableAnswerError, YukiConfigurationError

OPERATION = "GetTransactions"
# The groups a public client asked for by these names, and the fields they came back in.
DATA_GROUPS = {"Contact": "contact", "ForeignCurrency": "foreignCurrency"}
# A public client asked for 50,000 in one call and received all 41,788 rows: Yuki allows at least that.
MAX_RECORDS = 50_000
# The meaning of financialMode is not public; 0 is the value a .NET int defaults to.
FINANCIAL_MODE = 0


@dataclass(frozen=True)
class Transaction:
    """One transaction. `contact`/`foreign_currency` are None unless their data group was asked for;
    then a dict of the group's fields as Yuki sent them (their names are not public)."""

    id: str
    transaction_date: date | None
    description: str
    amount: Decimal | None
    contact: dict | None = None
    foreign_currency: dict | None = None


def params(administration_id: str, gl_account: str, start: date, end: date, *, data_groups=(),
           number_of_records: int = MAX_RECORDS, start_record: int = 0) -> dict:
    """The request's parameters after the session ID, in the catalogue's order; both days whole.
    `searchValues` is left out: the catalogue names its type only, not its fields."""
    if not administration_id:
        raise YukiConfigurationError("An administration ID is required to list transactions.")
    if not str(gl_account or "").strip():
        raise YukiConfigurationError("A general ledger account code is required to list its transactions.")
    if not isinstance(start, date) or not isinstance(end, date) or start > end:
        raise YukiConfigurationError(f"The listing needs a start date on or before its end date ({start}, {end}).")
    unknown = [group for group in data_groups if group not in DATA_GROUPS]
    if unknown:
        raise YukiConfigurationError(f"Unknown data group {unknown[0]!r}; known: {', '.join(DATA_GROUPS)}.")
    if not 0 < number_of_records <= MAX_RECORDS or start_record < 0:
        raise YukiConfigurationError(f"Ask for 1 to {MAX_RECORDS} records from a start record of 0 or more.")
    return {"administrationID": administration_id, "glAccountCode": str(gl_account).strip(),
            "startDate": datetime.combine(start, dtime()), "endDate": datetime.combine(end, dtime(23, 59, 59)),
            "financialMode": FINANCIAL_MODE, "dataGroups": ",".join(data_groups),
            "numberOfRecords": number_of_records, "startRecord": start_record}


def _get(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _items(result) -> list:
    """zeep gives ArrayOfTransaction as an object whose `Transaction` is the list (or None when empty)."""
    if result is None:
        return []
    if isinstance(result, list):
        return result
    inner = _get(result, "Transaction")
    if inner is None:
        return []
    return list(inner) if isinstance(inner, list | tuple) else [inner]


def _group(value) -> dict | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return dict(value)
    values = getattr(value, "__values__", None)  # a zeep CompoundValue
    if values is not None:
        return {name: field for name, field in values.items() if name != "_value_1"}
    return {}


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _amount(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def read(result) -> list[Transaction]:
    transactions = []
    for item in _items(result):
        identifier = str(_get(item, "id") or "").strip()
        if not identifier:
            raise UnreadableAnswerError(f"Yuki answered {OPERATION} with a transaction without an id; the "
                                        "listing cannot be read.", operation=OPERATION)
        transactions.append(Transaction(identifier, _date(_get(item, "transactionDate")),
                                        str(_get(item, "description") or "").strip(),
                                        _amount(_get(item, "amount")), _group(_get(item, "contact")),
                                        _group(_get(item, "foreignCurrency"))))
    return transactions
