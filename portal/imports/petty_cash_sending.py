"""Sending a petty cash statement (portal/petty_cash.py) to Yuki through the ledger, exactly once.

The statement's ledger entry is keyed by a hash of its content per administration (source "kas", kind
petty_cash): a double click, a second tab or a retry of the same statement finds the same row, and the
ledger's claim lets only one push call Yuki. A booked statement is never sent again: the person is told
so. Each send is a run of its own (category "Petty cash") in the run log, with its Yuki calls counted,
and the entry's history is the document page, as for payroll documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from connectors.documents import DocumentKind
from portal.imports import finishing, ledger, pushing, runs
from portal.models import Administration, EntryState, EventKind, ImportRun, LedgerEntry, RunTrigger
from portal.models.imports import RunCategory, RunStatus
from portal.petty_cash import Prepared

SOURCE = "kas"  # not a payroll source: entered in the portal


class Sent(StrEnum):
    BOOKED = "booked"
    ALREADY_BOOKED = "already_booked"  # the same statement was booked before: nothing sent
    BUSY = "busy"  # being sent right now, or awaiting a check: nothing sent
    NOT_BOOKED = "not_booked"  # refused, waiting for budget, or uncertain: the message says which
    OVERLAP = "overlap"  # lines already booked in another statement: nothing sent until a person confirms


@dataclass(frozen=True)
class SendResult:
    outcome: Sent
    entry: LedgerEntry | None
    message: str
    run: ImportRun | None = None
    overlap: tuple = ()  # the lines (as kept in the ledger) another booked statement holds already


def ledger_key(administration: Administration, prepared: Prepared) -> dict:
    return {"administration": administration, "source": SOURCE, "kind": DocumentKind.PETTY_CASH.value,
            "source_id": f"{prepared.method}:{prepared.content_hash[:48]}",
            "period": prepared.lines[0].transaction_date.strftime("%Y-%m")}


def title(prepared: Prepared) -> str:
    dates = [line.transaction_date for line in prepared.lines]
    first, last = formats.date_format(min(dates), "d-m-Y"), formats.date_format(max(dates), "d-m-Y")
    span = first if first == last else f"{first} – {last}"
    return ngettext("Petty cash %(account)s: %(n)s line, %(dates)s", "Petty cash %(account)s: %(n)s lines, %(dates)s",
                    len(prepared.lines)) % {"account": prepared.account, "n": len(prepared.lines), "dates": span}


def record(administration: Administration, prepared: Prepared, user) -> LedgerEntry:
    key = ledger_key(administration, prepared)
    payload = {"title": title(prepared)[:300], "file_name": "kas.csv" if prepared.text else "",
               "content_hash": prepared.content_hash, "content": prepared.text.encode() if prepared.text else None,
               "journal_lines": None, "metadata": prepared.as_json()}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                entry, created = LedgerEntry.objects.get_or_create(**key, defaults=payload)
                if created:
                    who = user.get_username() if getattr(user, "is_authenticated", False) else "-"
                    ledger.add_event(entry, EventKind.FETCHED, None, _("Entered on the petty cash page by %(who)s.")
                                     % {"who": who})
                return entry
        except IntegrityError:
            continue  # created by a concurrent click between our read and insert: read it again
    raise RuntimeError("could not record the petty cash statement")


def _line_key(account: str, line: dict) -> tuple:
    return account, line["date"], str(line["amount"]), line["description"].strip()


def already_booked_lines(administration: Administration, prepared: Prepared) -> list[dict]:
    """The lines of this statement that a statement booked before holds too (same account, date, amount,
    description). Yuki does not check for doubles: a corrected file, or next month's export that repeats
    the last rows, would book those lines twice."""
    own = ledger_key(administration, prepared)["source_id"]
    booked = LedgerEntry.objects.filter(administration=administration, source=SOURCE,
                                        kind=DocumentKind.PETTY_CASH.value, state=EntryState.BOOKED,
                                        ).exclude(source_id=own).values_list("metadata", flat=True)
    seen = {_line_key(data.get("account", ""), line) for data in booked if data for line in data.get("lines", [])}
    shown = prepared.as_json()
    return [line for line in shown["lines"] if _line_key(shown["account"], line) in seen]


def send(administration: Administration, prepared: Prepared, user, *, overlap_confirmed: bool = False) -> SendResult:
    known = LedgerEntry.objects.filter(**ledger_key(administration, prepared)).exists()  # this very statement
    if not known and not overlap_confirmed and (overlap := already_booked_lines(administration, prepared)):
        return SendResult(Sent.OVERLAP, None, ngettext(
            "%(n)s line of this statement is already in a statement booked before. Yuki does not check for "
            "doubles: send only the new lines, or send anyway if the line really happened twice.",
            "%(n)s lines of this statement are already in a statement booked before. Yuki does not check for "
            "doubles: send only the new lines, or send anyway if the lines really happened twice.",
            len(overlap)) % {"n": len(overlap)}, overlap=tuple(overlap))
    entry = record(administration, prepared, user)
    if entry.state == EntryState.BOOKED:
        when = formats.date_format(timezone.localtime(entry.booked_at), "SHORT_DATETIME_FORMAT") \
            if entry.booked_at else ""
        return SendResult(Sent.ALREADY_BOOKED, entry, _(
            "This statement was already booked in Yuki on %(when)s; nothing was sent again.") % {"when": when})
    if entry.state not in ledger.CLAIMABLE:
        return SendResult(Sent.BUSY, entry, _(
            "This statement is being sent to Yuki or awaits a check; nothing was sent again. See its page."))
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan={}, user=user,
                          category=RunCategory.PETTY_CASH)
    ImportRun.objects.filter(pk=run.pk).update(periods=[entry.period])
    try:
        with transaction.atomic():
            ImportRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
                status=RunStatus.RUNNING, started_at=timezone.now())
    except IntegrityError:
        # Another import of this administration is running (one at a time: they would race on the ledger).
        run.delete()
        return SendResult(Sent.BUSY, entry, _(
            "An import of this administration is running; nothing was sent. Send the statement again in a "
            "moment: it is booked once."))
    taken = runs.dispatch(run, [entry.pk])
    result = pushing.push(entry.pk, run) if taken else None
    finishing.finish_if_done(run.pk, exact=True)
    run.refresh_from_db()
    entry.refresh_from_db()
    if result is None or result.outcome == pushing.Outcome.NOT_OURS:
        return SendResult(Sent.BUSY, entry, _(
            "This statement is being sent to Yuki or awaits a check; nothing was sent again. See its page."), run)
    if result.outcome == pushing.Outcome.BOOKED:
        count = len(prepared.lines)
        return SendResult(Sent.BOOKED, entry, ngettext(
            "The petty cash statement is booked in Yuki (%(n)s line).",
            "The petty cash statement is booked in Yuki (%(n)s lines).", count) % {"n": count}, run)
    return SendResult(Sent.NOT_BOOKED, entry, result.message or entry.last_error, run)
