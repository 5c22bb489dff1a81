"""A month's read-back from Yuki (portal/completeness.py has the report it feeds): what Yuki shows for the
entries the ledger sent, at a cost known beforehand (`estimate`), counted in the domain's Yuki budget.

- journals: one GLAccountTransactions call per general ledger account, listing that account over the
  dates of the journals whose first line is on it; a journal Yuki booked shows its reference there (a
  listing without it but with a booking of the same account, date and amount: "possibly this journal");
- archive documents: one SearchDocuments call per document, for its unique file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.completeness import SENT, Status, amount_text, day_text, entries
from portal.imports import booking
from portal.imports.reconcile import same_booking
from portal.models import CompletenessReadBack, EntryState, LedgerEntry
from portal.vendors import charge_calls, yuki_client
from portal.yuki_store import DatabaseYukiStore
from yuki_client import DailyLimitError, YukiError, calls_today
from yuki_client.fault_messages import reason
from yuki_client.transactions import with_reference


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
