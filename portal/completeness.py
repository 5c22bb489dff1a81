"""A month's completeness: what the payroll source offered, what the ledger booked, what Yuki shows.

Per administration and payroll month (a period key, '2026-11'), one row per ledger entry: the source's
side (booked, waiting and why, failed), the ledger's, and, once read back, Yuki's. The read-back is a
deliberate action with its cost known beforehand (`estimate`), counted in the domain's Yuki budget:

- journals: one GLAccountTransactions call per general ledger account, listing that account over the
  dates of the journals whose first line is on it. Every line of our journals starts with the journal's
  reference (portal/imports/booking.py), so a journal Yuki booked shows its reference there. That Yuki
  keeps the reference in the description is what one public client relies on, not a documented promise
  (docs/vendors/yuki.md, "Reconciling journals"): a listing without the reference but with a booking of
  the same account, date and amount is named as "possibly this journal", never as "missing".
- archive documents: one SearchDocuments call per document, for its unique file name.

Every difference is named in words (`Row.difference`); the report, its CSV and its PDF show the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.imports import booking
from portal.imports.reconcile import same_booking
from portal.models import CompletenessReadBack, EntryState, LedgerEntry
from portal.models.ledger import KIND_LABELS
from portal.vendors import charge_calls, yuki_client
from portal.yuki_store import DatabaseYukiStore
from yuki_client import DailyLimitError, YukiError, calls_today
from yuki_client.fault_messages import reason
from yuki_client.transactions import with_reference

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
        row = Row(entry, str(KIND_LABELS.get(entry.kind, entry.kind)), booking.reference(entry), source, _why(entry),
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


# --- the read-back ------------------------------------------------------------------------------------

def _journal_plan(sent: list[LedgerEntry]) -> dict[str, list[LedgerEntry]]:
    """The journals to read back, grouped by the account of their first booked line (one listing each)."""
    plan: dict[str, list[LedgerEntry]] = {}
    for entry in sent:
        lines = _booked_lines(entry)
        if lines:
            plan.setdefault(lines[0]["gl_account"], []).append(entry)
    return plan


def _booked_lines(entry: LedgerEntry) -> list[dict]:
    if entry.state == EntryState.BOOKED and entry.booked_journal_lines:
        return entry.booked_journal_lines
    return booking.sent_lines(entry)  # a check pending: what was sent


def _sent(administration, period: str) -> list[LedgerEntry]:
    return list(entries(administration, period).filter(state__in=SENT))


def _archived(sent: list[LedgerEntry]) -> list[LedgerEntry]:
    """The files to search for in Yuki's archive by our name. Not a petty cash statement: Yuki files it
    under a name of its own (docs/vendors/yuki.md), so a search for ours would only cost a call and miss."""
    return [e for e in sent if e.journal_lines is None and not booking.is_petty_cash(e)]


def estimate(administration, period: str) -> int:
    """Yuki calls the read-back makes: one listing per account, one search per document, plus at most one
    to open a session."""
    sent = _sent(administration, period)
    journals = _journal_plan([e for e in sent if e.journal_lines is not None])
    calls = len(journals) + len(_archived(sent))
    return calls + 1 if calls else 0


def remaining_today(domain) -> int:
    """The domain's Yuki calls left today, read from the count (no client: an administration without an
    access key has none to build)."""
    return max(0, settings.YUKI_DAILY_BUDGET - calls_today(DatabaseYukiStore(), domain.yuki_domain_id))


def read_back(administration, period: str, user=None) -> CompletenessReadBack:
    """Ask Yuki what it shows for the month's sent entries; the outcome replaces the previous read-back."""
    sent = _sent(administration, period)
    client = yuki_client(administration)
    found: dict[str, dict] = {}
    error = ""
    try:
        for account, journals in _journal_plan([e for e in sent if e.journal_lines is not None]).items():
            _read_journals(client, administration, account, journals, found)
        for entry in _archived(sent):
            _read_document(client, entry, found)
    except DailyLimitError:
        error = _("Today's Yuki call budget of this domain ran out during the read-back; what was not read "
                  "back is marked so. Read back again tomorrow.")
    except YukiError as exc:
        error = _("Yuki could not be asked: %(error)s.") % {"error": reason(exc)}
    finally:
        charge_calls(None, client.store.reserved)
    for entry in (e for e in sent if booking.is_petty_cash(e)):
        found[str(entry.pk)] = {"status": Status.NOT_CHECKABLE, "detail": _(
            "Not read back: Yuki files a petty cash statement under a name of its own (Archive, Bank, Cash); "
            "check it there.")}
    for entry in sent:
        found.setdefault(str(entry.pk), {"status": Status.UNREADABLE, "detail": _("Not read back")})
    record, _created = CompletenessReadBack.objects.update_or_create(
        administration=administration, period=period,
        defaults={"read_at": timezone.now(), "read_by": user, "calls": client.store.reserved, "results": found,
                  "error": error})
    return record


def _read_journals(client, administration, account: str, journals: list[LedgerEntry], found: dict) -> None:
    days = [date.fromisoformat(_booked_lines(e)[0]["entry_date"]) for e in journals]
    listed = client.gl_account_transactions(administration.yuki_administration_id, account, min(days), max(days))
    for entry in journals:
        reference = booking.reference(entry)
        lines = _booked_lines(entry)
        ours = with_reference(listed, reference)
        where = {"reference": reference, "account": account}
        if ours:
            expected = sum((Decimal(line["amount"]) for line in lines if line["gl_account"] == account), Decimal(0))
            shown = sum((t.amount for t in ours if t.amount is not None), Decimal(0))
            if entry.version == 1 and all(t.amount is not None for t in ours) and shown != expected:
                found[str(entry.pk)] = {"status": Status.AMOUNT, "detail": _(
                    "Account %(account)s lists %(reference)s with %(shown)s instead of %(expected)s") % (
                    where | {"shown": amount_text(shown), "expected": amount_text(expected)})}
            else:
                found[str(entry.pk)] = {"status": Status.FOUND, "detail": _(
                    "Account %(account)s lists %(reference)s (%(lines)s lines)") % (where | {"lines": len(ours)})}
            continue
        line = _Line(date.fromisoformat(lines[0]["entry_date"]), Decimal(lines[0]["amount"]))
        alike = same_booking(listed, line)
        if alike:
            found[str(entry.pk)] = {"status": Status.LOOKALIKE, "detail": _(
                "Account %(account)s lists no %(reference)s, but '%(description)s' on %(date)s with %(amount)s") % (
                where | {"description": alike[0].description[:100], "date": day_text(line.entry_date),
                         "amount": amount_text(line.amount)})}
        else:
            found[str(entry.pk)] = {"status": Status.ABSENT, "detail": _(
                "Account %(account)s lists no %(reference)s") % where}


@dataclass(frozen=True)
class _Line:
    entry_date: date
    amount: Decimal


def _read_document(client, entry: LedgerEntry, found: dict) -> None:
    name = booking.yuki_file_name(entry)
    documents = client.search_documents(name, folder=booking.folder(entry))
    match = next((doc for doc in documents if doc.file_name == name), None)
    folder = booking.folder_name(booking.folder(entry))
    if match is not None:
        found[str(entry.pk)] = {"status": Status.FOUND, "detail": _("In the archive folder %(folder)s as '%(name)s'")
                                % {"folder": folder, "name": name}}
    else:
        found[str(entry.pk)] = {"status": Status.ABSENT, "detail": _("Not in the archive folder %(folder)s: '%(name)s'")
                                % {"folder": folder, "name": name}}
