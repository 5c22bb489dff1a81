"""One push of one ledger entry to Yuki, and what each outcome means for the entry.

The policy, from the ledger's promise: a call that surely did not reach Yuki may be tried again;
a call that may have reached Yuki is never resent blindly (needs_check); a refusal is a failure in
words the bookkeeper can act on; an exhausted budget waits for tomorrow.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import account_check
from portal.imports import booking, leases, ledger
from portal.models import EntryState, EventKind, ImportRun, LedgerEntry
from portal.sources.registry import source_of
from portal.vendors import charge_yuki_calls, yuki_client
from yuki_client import (
    AmbiguousWriteError,
    CallBudgetExhausted,
    InvalidAccessKeyError,
    JournalError,
    NotSentError,
    StatementError,
    YukiDailyLimitReached,
    YukiError,
    YukiFault,
    YukiTransportError,
)
from yuki_client.errors import UnreadableAnswerError
from yuki_client.fault_messages import (  # Yuki's errors in the reader's words, Yuki's own quoted
    reason,
    refuses_account,
)

log = logging.getLogger(__name__)

# A push that surely sent nothing (Outcome.RETRY) is tried this many times more before it counts as failed.
PUSH_RETRIES = 3


class Outcome(StrEnum):
    BOOKED = "booked"
    FAILED = "failed"
    RETRY = "retry"  # surely not sent: may be tried again
    NEEDS_CHECK = "needs_check"
    WAITING_BUDGET = "waiting_budget"
    WAITING_ACCOUNTS = "waiting_accounts"  # an account Yuki lacks: not sent (portal/account_check.py)
    NOT_OURS = "not_ours"  # someone else holds it, or it is already settled


@dataclass(frozen=True)
class PushResult:
    outcome: Outcome
    message: str = ""
    yuki_calls: int = 0
    settled: leases.Settled | None = None  # a booking's settle: whether a newer version waits, the run's count


def push(entry_id: int, run: ImportRun | None, *, final_attempt: bool = True,
         states=ledger.CLAIMABLE) -> PushResult:
    """One push of the entry, if it is in one of `states` (leases.claim_for_push) and no one holds it."""
    try:
        claimed = leases.claim_for_push(entry_id, run, states)
    except DatabaseError as exc:
        # Nothing was sent. If the claim did commit before the connection broke, the next claim is
        # refused and the lease runs out into a check, which finds nothing in Yuki: no loss either way.
        log.warning("could not claim ledger entry %s: %s", entry_id, exc)
        return PushResult(Outcome.RETRY, _("The database was not available; nothing was sent to Yuki, "
                                           "trying again shortly."))
    if claimed is None:
        return PushResult(Outcome.NOT_OURS)
    token, entry = claimed.token, claimed.entry  # the entry with its administration and domain: no query
    administration = entry.administration
    client = yuki_client(administration)
    calling = False  # True from the moment yuki_client has the request: before it, nothing can be sent
    booked_lines = None  # a journal's lines after the mapping: what is sent
    try:
        if entry.journal_lines is not None:
            mappings = account_check.mappings_of(administration)
            booked_lines = booking.mapped_lines(entry, mappings)
            missing = _missing_accounts(administration, client, booked_lines, run)
            if missing:
                return _wait_for_accounts(entry, token, run, client, missing)
            journal = booking.journal(entry, lines=booked_lines)
            calling = True
            reference = client.process_journal(administration.yuki_administration_id, journal)
        elif booking.is_petty_cash(entry):
            if booking.is_single_petty_cash_line(entry) and not _key_reaches_only(administration, client):
                return _refuse_single_line(entry, token, run, client)
            calling = True  # yuki_client checks the statement again before its request: StatementError, not sent
            reference = booking.send_petty_cash(client, entry)
        else:
            name, data, folder = booking.yuki_file_name(entry), bytes(entry.content or b""), booking.folder(entry)
            calling = True
            reference = client.upload_document(administration.yuki_administration_id, name, data, folder)
    except Exception as exc:  # noqa: BLE001 - every failure must leave the entry in a known state
        result = _settle_failure(entry, token, run, exc, final_attempt, sent=calling and exc_may_be_sent(exc),
                                 sent_lines=booked_lines if calling else None)
    else:
        calls = client.store.reserved  # charged to the run by the settle's own statement
        settled = leases.settle(entry_id, token, EntryState.BOOKED, run,
                                _("Booked in Yuki (%(what)s).") % {"what": _what(entry)}, EventKind.BOOKED,
                                yuki_calls=calls, yuki_reference=str(reference)[:100], booked_at=timezone.now(),
                                booked_hash=entry.content_hash,
                                booked_journal_lines=booked_lines if entry.journal_lines is not None else None,
                                sent_journal_lines=None,
                                content=None, last_error="")
        if settled:
            _after_booked(entry, str(reference)[:100])
        return PushResult(Outcome.BOOKED, yuki_calls=calls, settled=settled)
    return PushResult(result.outcome, result.message, charge_yuki_calls(run, client))


def _after_booked(entry: LedgerEntry, reference: str) -> None:
    """The source's follow-up of a booking (SourceBase.booked). The booking stands whatever it does: a
    failure is logged, not the push's."""
    try:
        source_of(entry.administration).booked(entry, reference)
    except Exception:  # noqa: BLE001 - the document is booked; its follow-up must not undo that
        log.exception("follow-up of booked entry %s by its source failed", entry.pk)


def _missing_accounts(administration, client, lines: list[dict], run) -> list[account_check.Missing]:
    """The accounts of the journal Yuki's chart lacks (after the mapping). A chart that lacks one is read
    again once per run, so an account created in Yuki meanwhile is found. A chart Yuki will not give (a
    fault, an unreadable answer) leaves the journal unchecked: Yuki itself then refuses an unknown
    account, and the refusal says so. Budget and connection errors go up: nothing was sent."""
    try:
        chart = account_check.chart_for(administration, client)
        missing = account_check.missing_accounts(lines, chart)
        if missing and chart and account_check.may_reread(administration, run.pk if run else None):
            missing = account_check.missing_accounts(lines, account_check.read_chart(administration, client))
    except (YukiFault, UnreadableAnswerError) as exc:
        log.warning("chart of accounts of %s not read: %s", administration.pk, exc)
        return []
    return missing if chart else []  # an empty chart says nothing: Yuki decides


def _key_reaches_only(administration, client) -> bool:
    """Whether the access key reaches this administration and no other. A single petty cash line names no
    administration: Yuki books it in the key's own (docs/vendors/yuki.md), and which one that is can only
    be known for certain when the key reaches just one. One call (Administrations), counted."""
    wanted = administration.yuki_administration_id.strip().lower()
    return {a.id.strip().lower() for a in client.administrations()} == {wanted}


def _refuse_single_line(entry, token, run, client) -> PushResult:
    message = _("%(title)s is not sent to Yuki: a single petty cash line names no administration, so Yuki books "
                "it in the access key's own administration, and this key reaches more than this one. Upload "
                "the line as a petty cash statement (the CSV file), which names the administration.") % {
                    "title": entry.title}
    leases.settle(entry.pk, token, EntryState.FAILED, run, message, EventKind.FAILED, last_error=message)
    return PushResult(Outcome.FAILED, message, charge_yuki_calls(run, client))


def _wait_for_accounts(entry, token, run, client, missing) -> PushResult:
    message = _("%(title)s is not sent to Yuki: %(missing)s Create the account in Yuki or map it on the "
                "ledger accounts page; the next import books it.") % {
                    "title": entry.title, "missing": account_check.describe(missing, entry.administration)}
    leases.settle(entry.pk, token, EntryState.WAITING_ACCOUNTS, run, message, EventKind.WAITING_ACCOUNTS,
                  last_error=message)
    return PushResult(Outcome.WAITING_ACCOUNTS, message, charge_yuki_calls(run, client))


def _what(entry: LedgerEntry) -> str:
    if entry.journal_lines is not None:
        return _("journal entry '%(subject)s'") % {"subject": booking.journal_subject(entry)}
    if booking.is_petty_cash(entry):
        count = len(booking.petty_cash_lines(entry))
        return ngettext("petty cash statement %(reference)s, %(n)s line on account %(account)s",
                        "petty cash statement %(reference)s, %(n)s lines on account %(account)s", count) % {
            "reference": booking.reference(entry), "n": count, "account": (entry.metadata or {}).get("account", "")}
    return _("file '%(name)s' in folder %(folder)s") % {"name": booking.yuki_file_name(entry),
                                                       "folder": booking.folder_name(booking.folder(entry))}


def exc_may_be_sent(exc: Exception) -> bool:
    """Whether the request may have left us when `exc` was raised inside yuki_client. Its own errors say
    so (`request_sent`: False for everything before sending, such as the store's database failing
    while reading the session or counting the call); anything else is unexpected and may have
    happened after sending."""
    return bool(getattr(exc, "request_sent", True))


def _settle_failure(entry: LedgerEntry, token: str, run, exc: Exception, final_attempt: bool,
                    sent: bool = True, sent_lines: list[dict] | None = None) -> PushResult:
    name = entry.administration.name
    if not sent and not isinstance(exc, YukiError):
        # Failed before the request left us (our database, a bug in building it): a plain retry.
        log.warning("ledger entry %s not sent to Yuki: %s", entry.pk, exc, exc_info=not isinstance(exc, DatabaseError))
        exc = NotSentError(f"{type(exc).__name__}: {exc}", cause=exc)
    if isinstance(exc, NotSentError) and not final_attempt:
        message = _("%(title)s was not sent to Yuki: something failed on our side before sending (%(error)s). "
                    "Trying again shortly.") % {"title": entry.title, "error": type(exc.cause or exc).__name__}
        return _release(entry, token, run, message)
    if isinstance(exc, (CallBudgetExhausted, YukiDailyLimitReached)):
        message = _("Yuki's daily call budget for this domain is used up; %(title)s is booked tomorrow, "
                    "nothing is lost.") % {"title": entry.title}
        return _settle(entry, token, run, EntryState.WAITING_BUDGET, EventKind.WAITING_BUDGET, message,
                       Outcome.WAITING_BUDGET)
    if isinstance(exc, AmbiguousWriteError):
        message = _("The connection to Yuki broke off after %(title)s was sent; Yuki may have booked it. "
                    "It is checked before anything is sent again.") % {"title": entry.title}
        return _settle(entry, token, run, EntryState.NEEDS_CHECK, EventKind.NEEDS_CHECK, message, Outcome.NEEDS_CHECK,
                       sent_journal_lines=sent_lines)
    if isinstance(exc, YukiTransportError) and not getattr(exc, "request_sent", True) and not final_attempt:
        message = _("Yuki could not be reached (%(error)s); trying again shortly.") % {"error": reason(exc)}
        return _settle(entry, token, run, EntryState.NEW, EventKind.FAILED, message, Outcome.RETRY)
    if isinstance(exc, InvalidAccessKeyError):
        message = _("Yuki does not accept the access key of administration %(name)s. Enter the right API key on "
                    "the administration page, then retry the failed documents.") % {"name": name}
    elif isinstance(exc, StatementError):
        message = _("The petty cash statement %(title)s cannot be booked: %(error)s. Correct it and send it "
                    "again.") % {"title": entry.title, "error": reason(exc)}
    elif isinstance(exc, JournalError):
        message = _("The journal entry of %(title)s cannot be booked: %(error)s. Correct it in the payroll "
                    "source; the corrected version is picked up by the next import.") % {
                        "title": entry.title, "error": reason(exc)}
    elif isinstance(exc, YukiFault) and refuses_account(exc):
        message = _("Yuki refused %(title)s: %(error)s. Create the account in Yuki or map it on the ledger "
                    "accounts page, then retry the failed documents.") % {"title": entry.title, "error": reason(exc)}
    elif isinstance(exc, YukiFault):
        message = _("Yuki refused %(title)s: %(error)s. Correct the cause, then retry the failed documents.") % {
            "title": entry.title, "error": reason(exc)}
    elif isinstance(exc, YukiError):
        message = _("Yuki could not book %(title)s: %(error)s. Retry the failed documents later.") % {
            "title": entry.title, "error": reason(exc)}
    else:
        # Unexpected (a bug): it may have happened after sending, so no resend without a check.
        log.exception("unexpected error pushing ledger entry %s", entry.pk)
        message = _("An unexpected error occurred while booking %(title)s (%(error)s); it is checked before "
                    "anything is sent again.") % {"title": entry.title, "error": type(exc).__name__}
        return _settle(entry, token, run, EntryState.NEEDS_CHECK, EventKind.NEEDS_CHECK, message, Outcome.NEEDS_CHECK)
    return _settle(entry, token, run, EntryState.FAILED, EventKind.FAILED, message, Outcome.FAILED)


# Pauses (seconds) before each try to release an entry that was not sent: the database that failed
# before the call may still be restarting.
RELEASE_PAUSES = (0, 1, 2, 4)


def _release(entry, token, run, message) -> PushResult:
    """Back to `new` for a plain retry. If the database stays away through every pause, the error goes
    up: the entry keeps its lease, which runs out into a check that finds nothing in Yuki and sends it."""
    for number, pause in enumerate(RELEASE_PAUSES, start=1):
        time.sleep(pause)
        try:
            return _settle(entry, token, run, EntryState.NEW, EventKind.FAILED, message, Outcome.RETRY)
        except DatabaseError:
            if number == len(RELEASE_PAUSES):
                raise
            if not connection.in_atomic_block:
                close_old_connections()  # a broken connection is replaced on the next query


def _settle(entry, token, run, state, event, message, outcome, **fields) -> PushResult:
    leases.settle(entry.pk, token, state, run, message, event, last_error=message, **fields)
    return PushResult(outcome, message)
