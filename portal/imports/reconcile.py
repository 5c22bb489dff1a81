"""Resolve documents whose booking is uncertain (needs_check), never by a blind resend.

- Archive uploads: search Yuki's archive for the unique file name we uploaded. Found: booked.
  Not found: safe to send again, but only once the attempt is IMPORT_RECONCILE_DELAY_SECONDS old (a
  request that timed out on our side may still be processed by Yuki). The search failing: ask again
  later, a few times, then a person decides.
- Journal entries: every line's description starts with the journal's reference ("[jr-... v2]"), so
  Yuki's listing of one of its accounts on its date (GLAccountTransactions, one call) shows whether
  it was booked. Found: booked. Not listed: sent again, after the same delay. Yuki unreachable: ask
  again later, a few times. Yuki cannot tell (the listing refused, or in a layout we cannot read): a
  person checks in Yuki and answers on the portal ("it is in Yuki" / "it is not in Yuki: book it").
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from portal.imports import booking, ledger
from portal.models import EntryState, EventKind, LedgerEntry
from portal.vendors import charge_yuki_calls, yuki_client
from yuki_client import DailyLimitError, YukiError
from yuki_client.transactions import with_reference

log = logging.getLogger(__name__)


class Resolution(StrEnum):
    FOUND = "found"  # it is in Yuki: booked
    ABSENT = "absent"  # it is not in Yuki: released to be sent again
    FOR_A_PERSON = "for_a_person"
    UNKNOWN = "unknown"  # Yuki could not be asked now


AUTOMATIC_CHECK_ATTEMPTS = 3


def reconcile(entry_id: int, run=None) -> Resolution:
    entry = LedgerEntry.objects.select_related("administration__domain").get(pk=entry_id)
    if entry.state != EntryState.NEEDS_CHECK:
        return Resolution.UNKNOWN
    if entry.journal_lines is not None:
        return _reconcile_journal(entry, run)
    if booking.is_petty_cash(entry):
        # Yuki files an imported statement under Archief > Bank > Kas by a name of its own, and a cash
        # line names no reference of ours: nothing to search by. A person looks, never a blind resend.
        _hold_for_a_person(entry, _(
            "Whether Yuki booked this petty cash statement cannot be looked up automatically. Check the petty "
            "cash account in Yuki (Archive > Bank > Cash), then answer on the portal: 'It is in Yuki' or "
            "'Book it'."))
        return Resolution.FOR_A_PERSON
    name = booking.yuki_file_name(entry)
    client = yuki_client(entry.administration)
    try:
        found = client.search_documents(name, folder=booking.folder(entry))
    except YukiError as exc:
        log.warning("could not search Yuki for %s: %s", name, exc)
        return _check_failed(entry, run, client, exc, _(
            "Yuki's archive could not be searched (%(error)s). Check in Yuki whether the file '%(name)s' "
            "exists, then answer on the portal: 'It is in Yuki' or 'Book it'.") % {
                "error": getattr(exc, "message", exc), "name": name})
    charge_yuki_calls(run, client)
    match = next((doc for doc in found if doc.file_name == name), None)
    if match is not None:
        _resolve(entry, EntryState.BOOKED, _("Found in Yuki's archive as '%(name)s': it was booked.") % {"name": name},
                 yuki_reference=str(match.id)[:100], booked_at=timezone.now(), booked_hash=entry.content_hash,
                 booked_journal_lines=entry.journal_lines, content=None, last_error="")
        return Resolution.FOUND
    if _too_early(entry):
        return Resolution.UNKNOWN  # too early to call it absent: the sweeper asks again later
    _resolve(entry, EntryState.NEW, _("Not in Yuki's archive: it is sent again."))
    return Resolution.ABSENT


def _reconcile_journal(entry: LedgerEntry, run) -> Resolution:
    """One GLAccountTransactions call: the first line's account on that line's date. Every line of the
    journal carries its reference, so if Yuki booked the journal, this listing shows it."""
    reference = booking.reference(entry)
    subject = booking.journal_subject(entry)
    line = booking.journal(entry, lines=booking.sent_lines(entry)).lines[0]
    client = yuki_client(entry.administration)
    try:
        listed = client.gl_account_transactions(entry.administration.yuki_administration_id, line.gl_account,
                                                line.entry_date, line.entry_date)
    except YukiError as exc:
        log.warning("could not list Yuki account %s for %s: %s", line.gl_account, reference, exc)
        return _check_failed(entry, run, client, exc, _(
            "Yuki could not tell whether the journal entry '%(subject)s' was booked: its listing of general "
            "ledger account %(account)s on %(date)s was not available (%(error)s). Check in Yuki whether a "
            "journal entry with '%(reference)s' in its description exists, then answer on the portal: "
            "'It is in Yuki' or 'Book it'.") % {
                "subject": subject, "account": line.gl_account, "date": date_format(line.entry_date),
                "error": getattr(exc, "message", exc), "reference": reference})
    charge_yuki_calls(run, client)
    where = {"reference": reference, "account": line.gl_account, "date": date_format(line.entry_date)}
    if with_reference(listed, reference):
        _resolve(entry, EntryState.BOOKED, _(
            "Found in Yuki: general ledger account %(account)s lists '%(reference)s' on %(date)s; "
            "it was booked.") % where,
            booked_at=timezone.now(), booked_hash=entry.content_hash, booked_journal_lines=booking.sent_lines(entry),
            content=None, last_error="")
        return Resolution.FOUND
    lookalikes = same_booking(listed, line)
    if lookalikes:
        # Finding our reference is evidence from one public client, not a documented promise; a booking
        # with the same account, date and amount may be this journal with its description changed. Never
        # guess "absent" then: a wrong guess would book it twice. A person looks in Yuki and answers.
        _hold_for_a_person(entry, _(
            "Yuki lists no '%(reference)s' on general ledger account %(account)s on %(date)s, but it does list "
            "a booking with the same account, date and amount (%(amount)s: '%(description)s'). That may be "
            "this journal entry, so it is not sent again. Check in Yuki, then answer on the portal: "
            "'It is in Yuki' or 'Book it'.") % (where | {
                "amount": number_format(line.amount, 2, use_l10n=True, force_grouping=True),
                "description": lookalikes[0].description[:120]}))
        return Resolution.FOR_A_PERSON
    if _too_early(entry):
        return Resolution.UNKNOWN  # Yuki may still be processing it: the sweeper asks again later
    _resolve(entry, EntryState.NEW, _(
        "Not in Yuki: general ledger account %(account)s lists no '%(reference)s' on %(date)s; "
        "it is booked again.") % where)
    return Resolution.ABSENT


def same_booking(listed: list, line) -> list:
    """Bookings in a listing of the line's account that have the line's date and amount but not
    necessarily our reference: possibly this journal, so never grounds to send it again."""
    return [booked for booked in listed
            if booked.entry_date == line.entry_date and booked.amount is not None and booked.amount == line.amount]


def _too_early(entry: LedgerEntry) -> bool:
    """A request that timed out on our side may still be processed by Yuki: only after the delay does
    "not found" mean "not there"."""
    settled_after = timezone.now() - timedelta(seconds=settings.IMPORT_RECONCILE_DELAY_SECONDS)
    return bool(entry.attempted_at and entry.attempted_at > settled_after)


def _check_failed(entry: LedgerEntry, run, client, exc: YukiError, for_a_person: str) -> Resolution:
    """Yuki was asked and gave no answer we can use. Unreachable or out of today's budget: ask again
    later, a few times. Refused, or an answer we cannot read: that will not change, so a person decides."""
    charge_yuki_calls(run, client)
    LedgerEntry.objects.filter(pk=entry.pk).update(check_attempts=F("check_attempts") + 1)
    if _passing(exc) and entry.check_attempts + 1 < AUTOMATIC_CHECK_ATTEMPTS:
        return Resolution.UNKNOWN  # the sweeper asks again later
    _hold_for_a_person(entry, for_a_person)
    return Resolution.FOR_A_PERSON


def _passing(exc: YukiError) -> bool:
    return isinstance(exc, DailyLimitError) or bool(getattr(exc, "retryable", False))


def _hold_for_a_person(entry: LedgerEntry, message: str) -> None:
    LedgerEntry.objects.filter(pk=entry.pk).update(last_error=message, check_by_person=True)
    ledger.add_event(entry, EventKind.NEEDS_CHECK, entry.last_run, message)


def answer(entry_id: int, *, in_yuki: bool, user) -> bool:
    """A person's answer for a document held for a check."""
    entry = LedgerEntry.objects.get(pk=entry_id)
    who = user.get_username()
    if in_yuki:
        return _resolve(entry, EntryState.BOOKED, _("Confirmed in Yuki by %(who)s.") % {"who": who},
                        booked_at=timezone.now(), booked_hash=entry.content_hash,
                        booked_journal_lines=booking.sent_lines(entry) if entry.journal_lines is not None
                        else None, content=None, last_error="")
    return _resolve(entry, EntryState.NEW, _("Not in Yuki according to %(who)s: it is sent again.") % {"who": who})


def _resolve(entry: LedgerEntry, state: str, message: str, **fields) -> bool:
    with transaction.atomic():
        updated = LedgerEntry.objects.filter(pk=entry.pk, state=EntryState.NEEDS_CHECK).update(
            state=state, updated_at=timezone.now(), check_by_person=False, check_attempts=0,
            sent_journal_lines=None,  # settled: the next send's outcome is its own
            **({"last_error": ""} | fields))
        if updated:
            entry.refresh_from_db()
            ledger.add_event(entry, EventKind.RECONCILED, entry.last_run, message,
                             yuki_reference=fields.get("yuki_reference", ""))
    return bool(updated)
