"""A month's completeness: what the payroll source offered, what the ledger booked, what Yuki shows.

Per administration and payroll month (a period key, '2026-11'), one row per ledger entry: the source's
side (booked, waiting and why, failed), the ledger's, and, once read back, Yuki's. The read-back is a
deliberate action with its cost known beforehand (portal/completeness_read_back.py), counted in the
domain's Yuki budget. Every difference is named in words (`Row.difference`); the report, its CSV and its
PDF show the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.imports import booking
from portal.models import CompletenessReadBack, EntryState, LedgerEntry

MONTH = re.compile(r"^(?!0000)(\d{4})-(0[1-9]|1[0-2])$")  # year 0000 is no date: a 500 in date()
# What the ledger may have sent to Yuki: only these are read back.
SENT = (EntryState.BOOKED, EntryState.NEEDS_CHECK)
WAITING = (EntryState.NEW, EntryState.PUSHING, EntryState.WAITING_BUDGET, EntryState.WAITING_ACCOUNTS,
           EntryState.WAITING_AT_SOURCE, EntryState.NEEDS_CHECK)


class Status:
    FOUND = "found"
    ABSENT = "absent"
    LOOKALIKE = "lookalike"  # no reference, but a booking with the same account, date and amount
    AMOUNT = "amount"  # the reference is there, the amounts on the account differ
    UNREADABLE = "unreadable"  # Yuki could not be asked or answered in a way we cannot read
    NOT_CHECKABLE = "not_checkable"  # nothing of ours to search for in Yuki (a petty cash statement)


def valid_month(text: str) -> bool:
    return bool(MONTH.match(text or ""))


def month_label(period: str) -> str:
    year, month = map(int, period.split("-"))
    return date_format(date(year, month, 1), "F Y")


def amount_text(value) -> str:
    """1.234,56 in Dutch, whatever the reader's language: the accountant files it with the month."""
    return f"{Decimal(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def day_text(value: date | str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d-%m-%Y")


@dataclass
class Row:
    entry: LedgerEntry
    kind: str
    reference: str
    source: str  # what the source offered, in words
    ledger: str  # what the ledger did with it
    yuki: str = ""  # what Yuki showed at the read-back ("" = not read back)
    difference: str = ""
    amount: Decimal | None = None  # a journal's debit total (its lines as booked, or as they will be)

    @property
    def amount_text(self) -> str:
        return amount_text(self.amount) if self.amount is not None else ""


@dataclass
class Report:
    administration: object
    period: str
    rows: list[Row] = field(default_factory=list)
    read_back: CompletenessReadBack | None = None

    @property
    def offered(self) -> int:
        return len(self.rows)

    @property
    def booked(self) -> int:
        return sum(1 for row in self.rows if row.entry.state == EntryState.BOOKED)

    @property
    def waiting(self) -> int:
        return sum(1 for row in self.rows if row.entry.state in WAITING)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row.entry.state == EntryState.FAILED)

    @property
    def differences(self) -> list[Row]:
        return [row for row in self.rows if row.difference]

    @property
    def complete(self) -> bool:
        return bool(self.read_back) and not self.read_back.error and not self.differences and bool(self.rows)


def entries(administration, period: str):
    return (LedgerEntry.objects.filter(administration=administration, period=period)
            .defer("content", "pending_content").order_by("kind", "title"))


def _why(entry: LedgerEntry) -> str:
    if entry.state == EntryState.BOOKED:
        return _("Booked on %(date)s") % {"date": day_text(timezone.localtime(entry.booked_at).date())} \
            if entry.booked_at else _("Booked")
    label = str(EntryState(entry.state).label)
    detail = entry.last_error or entry.source_status
    return f"{label}: {detail}" if detail else label


def report(administration, period: str) -> Report:
    read_back = CompletenessReadBack.objects.filter(administration=administration, period=period).first()
    found = (read_back.results if read_back else {}) or {}
    result = Report(administration, period, read_back=read_back)
    for entry in entries(administration, period):
        source = _("Offered by the source") if entry.state != EntryState.WAITING_AT_SOURCE else \
            _("Shown by the source, not final yet")
        row = Row(entry, entry.kind_label, booking.reference(entry), source, _why(entry),
                  amount=_debit_total(entry))
        seen = found.get(str(entry.pk))
        if seen:
            row.yuki = seen.get("detail", "")
        row.difference = _difference(entry, seen, read_back)
        result.rows.append(row)
    return result


def _debit_total(entry: LedgerEntry) -> Decimal | None:
    if entry.journal_lines is None:
        return None
    lines = entry.booked_journal_lines if entry.state == EntryState.BOOKED and entry.booked_journal_lines \
        else entry.journal_lines
    return sum((Decimal(line["amount"]) for line in lines if Decimal(line["amount"]) > 0), Decimal(0))


def _difference(entry: LedgerEntry, seen: dict | None, read_back) -> str:
    """The difference between the ledger and Yuki (or the source and the ledger), named; "" when none."""
    status = (seen or {}).get("status")
    if entry.state == EntryState.FAILED:
        return _("Not in Yuki: booking it failed.")
    if entry.state in WAITING and entry.state != EntryState.NEEDS_CHECK:
        return _("Not in Yuki yet: %(state)s.") % {"state": EntryState(entry.state).label}
    if read_back is None or seen is None:
        return ""  # not read back: nothing known about Yuki's side yet
    if entry.state == EntryState.NEEDS_CHECK:
        if status == Status.FOUND:
            return _("Yuki shows it, but the portal still waits for a check of its booking.")
        return _("The portal does not know whether it was booked and Yuki does not show it: it waits for a check.")
    if status == Status.ABSENT:
        return _("Booked according to the portal, but Yuki does not show it.")
    if status == Status.LOOKALIKE:
        return _("Booked according to the portal; Yuki shows no reference %(reference)s, only a booking with the "
                 "same account, date and amount. Check in Yuki whether that is this journal entry.") % {
                     "reference": booking.reference(entry)}
    if status == Status.AMOUNT:
        return _("In Yuki with another amount than the portal booked.")
    if status == Status.UNREADABLE:
        return _("Not read back: Yuki could not be asked.")
    return ""
