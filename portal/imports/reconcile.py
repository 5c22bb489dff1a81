"""Resolve documents whose booking is uncertain (needs_check), never by a blind resend.

- Archive uploads: search Yuki's archive for the unique file name we uploaded. Found: booked.
  Not found: safe to send again, but only once the attempt is IMPORT_RECONCILE_DELAY_SECONDS old (a
  request that timed out on our side may still be processed by Yuki). The search failing: ask again
  later, a few times, then a person decides.
- Journal entries: Yuki offers no reliable lookup of a journal by its subject, so a person checks
  in Yuki and answers on the portal ("it is in Yuki" / "it is not in Yuki: book it").
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.imports import booking, ledger
from portal.models import EntryState, EventKind, LedgerEntry
from portal.vendors import charge_yuki_calls, yuki_client
from yuki_client import DailyLimitError, YukiError

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
        _hold_for_a_person(entry, _(
            "Check in Yuki whether the journal entry '%(subject)s' exists, then answer on the portal: "
            "'It is in Yuki' or 'Book it'.") % {"subject": booking.journal_subject(entry)})
        return Resolution.FOR_A_PERSON
    name = booking.yuki_file_name(entry)
    client = yuki_client(entry.administration)
    try:
        found = client.search_documents(name, folder=booking.folder(entry))
    except YukiError as exc:
        log.warning("could not search Yuki for %s: %s", name, exc)
        charge_yuki_calls(run, client)
        LedgerEntry.objects.filter(pk=entry.pk).update(check_attempts=F("check_attempts") + 1)
        if _passing(exc) and entry.check_attempts + 1 < AUTOMATIC_CHECK_ATTEMPTS:
            return Resolution.UNKNOWN  # Yuki unreachable or today's budget used: the sweeper asks again later
        _hold_for_a_person(entry, _(
            "Yuki's archive could not be searched (%(error)s). Check in Yuki whether the file '%(name)s' "
            "exists, then answer on the portal: 'It is in Yuki' or 'Book it'.") % {
                "error": getattr(exc, "message", exc), "name": name})
        return Resolution.UNKNOWN
    charge_yuki_calls(run, client)
    match = next((doc for doc in found if doc.file_name == name), None)
    if match is not None:
        _resolve(entry, EntryState.BOOKED, _("Found in Yuki's archive as '%(name)s': it was booked.") % {"name": name},
                 yuki_reference=str(match.id)[:100], booked_at=timezone.now(), booked_hash=entry.content_hash,
                 booked_journal_lines=entry.journal_lines, content=None, last_error="")
        return Resolution.FOUND
    settled_after = timezone.now() - timedelta(seconds=settings.IMPORT_RECONCILE_DELAY_SECONDS)
    if entry.attempted_at and entry.attempted_at > settled_after:
        return Resolution.UNKNOWN  # too early to call it absent: the sweeper asks again later
    _resolve(entry, EntryState.NEW, _("Not in Yuki's archive: it is sent again."))
    return Resolution.ABSENT


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
                        booked_journal_lines=entry.journal_lines, content=None, last_error="")
    return _resolve(entry, EntryState.NEW, _("Not in Yuki according to %(who)s: it is sent again.") % {"who": who})


def _resolve(entry: LedgerEntry, state: str, message: str, **fields) -> bool:
    with transaction.atomic():
        updated = LedgerEntry.objects.filter(pk=entry.pk, state=EntryState.NEEDS_CHECK).update(
            state=state, updated_at=timezone.now(), check_by_person=False, check_attempts=0,
            **({"last_error": ""} | fields))
        if updated:
            entry.refresh_from_db()
            ledger.add_event(entry, EventKind.RECONCILED, entry.last_run, message,
                             yuki_reference=fields.get("yuki_reference", ""))
    return bool(updated)
