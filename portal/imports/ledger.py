"""The ledger: every source document recorded once, claimed before its Yuki call, settled after.

Rules that make "nothing lost, nothing twice" hold across retries, crashes and restarts:
- one row per (administration, source, kind, source ID, period): a unique constraint;
- a push claims its row with one conditional UPDATE (new/failed/waiting -> pushing) that also sets a
  lease; the claim is committed before the Yuki call, so a crash can only leave `pushing` behind;
- settling (booked/failed/...) is conditional on still holding the lease;
- an expired lease is never retried blindly: it becomes `needs_check` (the call may have been booked)
  and reconciliation decides (portal.imports.reconcile).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors.documents import SourceDocument
from portal.models import Administration, EntryState, EventKind, ImportRun, LedgerEntry, LedgerEvent

CLAIMABLE = (EntryState.NEW, EntryState.FAILED, EntryState.WAITING_BUDGET)


class Change(StrEnum):
    NEW = "new"  # first time seen
    UNCHANGED = "unchanged"  # booked, same content
    PENDING = "pending"  # seen before, same content, not booked yet
    CHANGED = "changed"  # not booked yet, and the source changed it: book the newest content
    CORRECTION = "correction"  # booked, content changed at the source: book a new version
    BUSY = "busy"  # being pushed or awaiting a check, same content: leave it alone
    DEFERRED = "deferred"  # being pushed or checked, and changed: parked until that attempt settles


@dataclass(frozen=True)
class Recorded:
    entry: LedgerEntry
    change: Change


def payload_of(document: SourceDocument) -> dict:
    return {
        "title": document.title[:300],
        "file_name": document.file_name,
        "content_hash": document.content_hash,
        "content": document.content,
        "journal_lines": [line.as_dict() for line in document.journal_lines] if document.is_journal else None,
        "metadata": _jsonable(document.metadata),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def record(administration: Administration, document: SourceDocument, run: ImportRun | None) -> Recorded:
    key = {"administration": administration, "source": document.source, "kind": document.kind.value,
           "source_id": document.source_id, "period": document.period.key}
    payload = payload_of(document)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                entry = LedgerEntry.objects.select_for_update().filter(**key).first()
                if entry is None:
                    entry = LedgerEntry.objects.create(**key, **payload, last_run=run)
                    add_event(entry, EventKind.FETCHED, run, _("Fetched from the payroll source."))
                    return Recorded(entry, Change.NEW)
                return Recorded(entry, _update(entry, payload, run))
        except IntegrityError:
            continue  # created by a concurrent run between our read and insert: read it again
    raise RuntimeError(f"could not record {document.source_id}")


def _update(entry: LedgerEntry, payload: dict, run) -> Change:
    # Whoever pushes an entry takes it on (dispatch sets last_run); merely seeing it again does not,
    # so a run never reports an old failure it did not attempt.
    if entry.state == EntryState.WAITING_AT_SOURCE:
        # It waited at the source (portal.imports.waiting) and is delivered now: this row is booked.
        for name, value in payload.items():
            setattr(entry, name, value)
        entry.state, entry.wait_reason, entry.source_status, entry.last_run = EntryState.NEW, "", "", run
        entry.save()
        add_event(entry, EventKind.FETCHED, run, _("Delivered by the payroll source now; it waited there before."))
        return Change.NEW
    if entry.content_hash == payload["content_hash"]:
        if entry.state == EntryState.BOOKED:
            return Change.UNCHANGED
        return Change.PENDING if entry.state in CLAIMABLE else Change.BUSY
    if entry.state in (EntryState.PUSHING, EntryState.NEEDS_CHECK):
        # An attempt with the old content is in flight or unresolved: park the new one, taken up when
        # that attempt settles (see _take_up_pending). Never dropped, and the history says so.
        if entry.pending_hash != payload["content_hash"]:
            entry.pending_hash = payload["content_hash"]
            entry.pending_content = payload["content"]
            entry.pending = {k: payload[k] for k in ("title", "file_name", "journal_lines", "metadata")}
            entry.save(update_fields=["pending_hash", "pending_content", "pending", "updated_at"])
            add_event(entry, EventKind.FETCHED, run, _(
                "The payroll source changed this document while it was being booked or checked; the new version "
                "follows once that is settled."))
        return Change.DEFERRED
    if entry.state == EntryState.BOOKED:
        _become_new_version(entry, payload)
        entry.save()
        add_event(entry, EventKind.CORRECTION, run, _(
            "The payroll source changed this document after it was booked: version %(version)s will be booked.")
            % {"version": entry.version})
        return Change.CORRECTION
    # Not booked yet: book the newest content.
    for name, value in payload.items():
        setattr(entry, name, value)
    entry.save()
    add_event(entry, EventKind.FETCHED, run, _("Fetched again with changed content, before it was booked."))
    return Change.CHANGED


def _become_new_version(entry: LedgerEntry, payload: dict) -> None:
    for name, value in payload.items():
        setattr(entry, name, value)
    entry.version += 1
    entry.state = EntryState.NEW
    entry.last_error = ""


def take_up_pending(entry_id: int, run) -> bool:
    """After an attempt settled: a parked newer version replaces the content (booked: as the next
    version, to be booked). True when the entry is now to be booked again."""
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry_id)
        if not entry.pending_hash or entry.state in (EntryState.PUSHING, EntryState.NEEDS_CHECK):
            return False
        payload = {**(entry.pending or {}), "content_hash": entry.pending_hash, "content": entry.pending_content}
        entry.pending_hash, entry.pending, entry.pending_content = "", None, None
        if entry.state == EntryState.BOOKED and payload["content_hash"] != entry.booked_hash:
            _become_new_version(entry, payload)
            entry.last_run = run or entry.last_run
            entry.save()
            add_event(entry, EventKind.CORRECTION, run, _(
                "The version that arrived during the previous attempt is booked as version %(version)s.")
                % {"version": entry.version})
            return True
        if entry.state != EntryState.BOOKED:
            for name, value in payload.items():
                setattr(entry, name, value)
            if entry.state == EntryState.FAILED:
                entry.state = EntryState.NEW  # new content may well be the fix: try it
        entry.save()
        return entry.state == EntryState.NEW


def claim(entry_id: int, run: ImportRun | None) -> str | None:
    """Take the entry for one push. Returns the lease token, or None if it is not ours to push."""
    token = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        taken = LedgerEntry.objects.filter(pk=entry_id, state__in=CLAIMABLE).update(
            state=EntryState.PUSHING, lease_token=token, attempted_at=now,
            lease_expires_at=now + timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS),
            attempts=F("attempts") + 1, last_run=run, updated_at=now)
        if not taken:
            return None
        entry = LedgerEntry.objects.get(pk=entry_id)
        add_event(entry, EventKind.CLAIMED, run, _("Sending to Yuki (attempt %(n)s).") % {"n": entry.attempts})
    return token


def settle(entry_id: int, token: str, state: str, run: ImportRun | None, message: str,
           event: str, **fields) -> bool:
    """Leave `pushing` for `state`, only while still holding the lease. False: someone took it over."""
    with transaction.atomic():
        updated = LedgerEntry.objects.filter(pk=entry_id, state=EntryState.PUSHING, lease_token=token).update(
            state=state, lease_token="", lease_expires_at=None, updated_at=timezone.now(), check_by_person=False,
            **fields)
        if updated:
            entry = LedgerEntry.objects.get(pk=entry_id)
            add_event(entry, event, run, message, yuki_reference=fields.get("yuki_reference", ""))
        return bool(updated)


def expire_stale_leases(now=None) -> list[int]:
    """Pushes whose worker vanished: the Yuki call may have happened, so they need a check."""
    now = now or timezone.now()
    stale = list(LedgerEntry.objects.filter(state=EntryState.PUSHING, lease_expires_at__lt=now)
                 .values_list("pk", "lease_token"))
    expired = []
    for pk, token in stale:
        with transaction.atomic():
            if LedgerEntry.objects.filter(pk=pk, state=EntryState.PUSHING, lease_token=token).update(
                    state=EntryState.NEEDS_CHECK, lease_token="", lease_expires_at=None, check_by_person=False,
                    last_error=_("The attempt was interrupted; it is unknown whether Yuki booked it.")):
                entry = LedgerEntry.objects.get(pk=pk)
                add_event(entry, EventKind.NEEDS_CHECK, entry.last_run, _(
                    "The attempt was interrupted (worker stopped); checking Yuki before anything is resent."))
                expired.append(pk)
    return expired


def add_event(entry: LedgerEntry, kind: str, run, message: str, yuki_reference: str = "") -> LedgerEvent:
    return LedgerEvent.objects.create(entry=entry, run=run, kind=kind, version=entry.version, message=message,
                                      yuki_reference=yuki_reference)


