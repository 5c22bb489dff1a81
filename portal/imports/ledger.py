"""The ledger: every source document recorded once, claimed before its Yuki call, settled after.

Rules that make "nothing lost, nothing twice" hold across retries, crashes and restarts:
- one row per (administration, source, kind, source ID, period): a unique constraint;
- what the source delivers again is compared by meaning (connectors.fingerprints): unchanged, a
  correction booked as a new version, or parked while an attempt is in flight (here);
- a push holds its row under a lease while it calls Yuki (portal.imports.leases).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors import fingerprints
from connectors.documents import SourceDocument
from portal.imports import changes
from portal.models import Administration, EntryState, EventKind, ImportRun, LedgerEntry, LedgerEvent

CLAIMABLE = (EntryState.NEW, EntryState.FAILED, EntryState.WAITING_BUDGET, EntryState.WAITING_ACCOUNTS)


class Change(StrEnum):
    NEW = "new"  # first time seen
    UNCHANGED = "unchanged"  # booked, same content
    PENDING = "pending"  # seen before, same content, not booked yet
    CHANGED = "changed"  # not booked yet, and the source changed it: book the newest content
    CORRECTION = "correction"  # booked, content changed at the source: book a new version
    BUSY = "busy"  # being pushed or awaiting a check, same content: leave it alone
    DEFERRED = "deferred"  # being pushed or checked, and changed: parked until that attempt settles
    # booked, and delivered again different in a way that cannot be compared by meaning: not booked, shown
    # to a person (once: after that the same entry is UNCHANGED)
    UNREADABLE_CHANGE = "unreadable_change"


@dataclass(frozen=True)
class Recorded:
    entry: LedgerEntry
    change: Change


def payload_of(document: SourceDocument) -> dict:
    return {
        "title": document.title[:300],
        "file_name": document.file_name,
        "content_hash": document.content_hash,
        "fingerprint": document.fingerprint.facts,
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
    key = {"administration": administration, "source": document.source, "kind": str(document.kind),
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


def record_all(administration: Administration, documents: list[SourceDocument], run: ImportRun | None,
               ) -> list[Recorded]:
    """record() for a run's documents, in their order, with a few statements for any number of them: one
    read of what the ledger holds of them; documents it does not hold are inserted together, with their
    events; booked and unchanged ones need nothing more; the others go through record() one by one."""
    if not documents:
        return []
    keys = [(d.source, str(d.kind), d.source_id, d.period.key) for d in documents]
    held = {(source, kind, source_id, period): (pk, state, content_hash)
            for pk, source, kind, source_id, period, state, content_hash in LedgerEntry.objects.filter(
                administration=administration, period__in={k[3] for k in keys}, kind__in={k[1] for k in keys},
            ).values_list("pk", "source", "kind", "source_id", "period", "state", "content_hash")}
    # (An entry whose fingerprint is outdated never matches a new one: record() adopts it.)
    results: list[Recorded | None] = [None] * len(documents)
    new: dict[tuple, int] = {}  # key -> index of the document that creates the entry
    for index, (key, document) in enumerate(zip(keys, documents, strict=True)):
        if key in held:
            pk, state, content_hash = held[key]
            if state == EntryState.BOOKED and content_hash == document.content_hash:
                results[index] = Recorded(LedgerEntry(pk=pk, state=state, content_hash=content_hash),
                                          Change.UNCHANGED)
        elif key not in new:
            new[key] = index
    if new:
        entries = [LedgerEntry(administration=administration, source=key[0], kind=key[1], source_id=key[2],
                               period=key[3], last_run=run, **payload_of(documents[index]))
                   for key, index in new.items()]
        try:
            with transaction.atomic():
                LedgerEntry.objects.bulk_create(entries, batch_size=500)
                message = _("Fetched from the payroll source.")
                LedgerEvent.objects.bulk_create(
                    [LedgerEvent(entry=entry, run=run, kind=EventKind.FETCHED, version=entry.version,
                                 message=message) for entry in entries], batch_size=1000)
        except IntegrityError:
            pass  # a concurrent run inserted some of them meanwhile: one by one below, as record() does
        else:
            for entry, index in zip(entries, new.values(), strict=True):
                results[index] = Recorded(entry, Change.NEW)
    return [result or record(administration, document, run) for result, document in zip(results, documents,
                                                                                         strict=True)]


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
    if entry.fingerprint_outdated and entry.state == EntryState.BOOKED:
        return _adopt_fingerprint(entry, payload, run)
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
            entry.pending = {k: payload[k] for k in ("title", "file_name", "journal_lines", "metadata", "fingerprint")}
            entry.save(update_fields=["pending_hash", "pending_content", "pending", "updated_at"])
            add_event(entry, EventKind.FETCHED, run, _(
                "The payroll source changed this document while it was being booked or checked; the new version "
                "follows once that is settled."))
        return Change.DEFERRED
    if entry.state == EntryState.BOOKED:
        if not comparable(entry.fingerprint, payload["fingerprint"]):
            return _show_unreadable_change(entry, payload, run)
        _become_new_version(entry, payload)
        entry.save()
        add_event(entry, EventKind.CORRECTION, run, _(
            "The payroll source changed this document after it was booked: version %(version)s will be booked.")
            % {"version": entry.version} + changes.as_sentence(entry.changes))
        return Change.CORRECTION
    # Not booked yet: book the newest content.
    for name, value in payload.items():
        setattr(entry, name, value)
    entry.save()
    add_event(entry, EventKind.FETCHED, run, _("Fetched again with changed content, before it was booked."))
    return Change.CHANGED


def comparable(before: dict | None, after: dict | None) -> bool:
    """Whether two fingerprints say by meaning that a booked document changed. A fingerprint that fell
    back to the bytes (or none at all) cannot: generated anew, the bytes of an unchanged file differ.
    A journal always can: its hash has been the hash of its lines since the ledger began, so a journal
    recorded before fingerprints (none stored) is compared as well, and its correction booked."""
    if fingerprints.JOURNAL_LINES in ((before or {}).get("scheme"), (after or {}).get("scheme")):
        return True
    return bool(before) and bool(after) and before.get("scheme") != fingerprints.BYTES \
        and after.get("scheme") != fingerprints.BYTES


def _adopt_fingerprint(entry: LedgerEntry, payload: dict, run) -> Change:
    """A booked entry from before fingerprints of meaning, its file no longer kept: what the source
    delivers now is taken as what was booked (the baseline), nothing is booked (docs/vendors/generated-files.md)."""
    entry.content_hash = entry.booked_hash = payload["content_hash"]
    entry.fingerprint, entry.fingerprint_outdated = payload["fingerprint"], False
    entry.save(update_fields=["content_hash", "booked_hash", "fingerprint", "fingerprint_outdated", "updated_at"])
    add_event(entry, EventKind.FETCHED, run, _(
        "From now on this document is compared by what it says, not by its bytes; this fetch is the baseline, "
        "nothing was booked for it."))
    return Change.UNCHANGED


def _show_unreadable_change(entry: LedgerEntry, payload: dict, run) -> Change:
    """A booked document came back different and the two cannot be compared by meaning: never booked again on
    its own (that could book every nightly fetch anew); the first time, the history and the page say so.
    A readable fingerprint after an unreadable one becomes the baseline, so later fetches compare again."""
    was_readable = comparable(entry.fingerprint, entry.fingerprint)
    fields = ["updated_at"]
    if not was_readable and comparable(payload["fingerprint"], payload["fingerprint"]):
        entry.content_hash = entry.booked_hash = payload["content_hash"]
        entry.fingerprint = payload["fingerprint"]
        fields += ["content_hash", "booked_hash", "fingerprint"]
    change = Change.UNCHANGED
    if entry.unreadable_change_at is None:
        change = Change.UNREADABLE_CHANGE
        entry.unreadable_change_at = timezone.now()
        fields.append("unreadable_change_at")
        reason = next((f["reason"] for f in (payload["fingerprint"], entry.fingerprint)
                       if f and f.get("scheme") == fingerprints.BYTES), "")
        add_event(entry, EventKind.FETCHED, run, _(
            "The payroll source delivered this booked document again with different content that could not be "
            "compared by what it says (%(reason)s). It was not booked again: compare it in the payroll source "
            "and in Yuki.") % {"reason": reason})
    entry.save(update_fields=fields)
    return change


def _become_new_version(entry: LedgerEntry, payload: dict) -> None:
    entry.changes = [d.as_dict() for d in fingerprints.differences(entry.fingerprint, payload.get("fingerprint"))]
    entry.unreadable_change_at = None
    for name, value in payload.items():
        setattr(entry, name, value)
    entry.version += 1
    entry.state = EntryState.NEW
    entry.last_error = ""


OUTSTANDING = (EntryState.NEW, EntryState.PUSHING, EntryState.NEEDS_CHECK)  # a run waits for these (see runs)


def take_up_pending(entry_id: int, run) -> bool:
    """After an attempt settled: a parked newer version replaces the content (booked: as the next
    version, to be booked). True when the entry is now to be booked again. (A push only calls this when
    its settle reported a parked version: Settled.pending.)"""
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry_id)
        if not entry.pending_hash or entry.state in (EntryState.PUSHING, EntryState.NEEDS_CHECK):
            return False
        was = entry.state
        payload = {**(entry.pending or {}), "content_hash": entry.pending_hash, "content": entry.pending_content}
        entry.pending_hash, entry.pending, entry.pending_content = "", None, None
        # A version parked before fingerprints has none: a journal's is its lines (see comparable).
        parked = payload.get("fingerprint") or (
            {"scheme": fingerprints.JOURNAL_LINES} if payload.get("journal_lines") is not None else None)
        if entry.state == EntryState.BOOKED and payload["content_hash"] != entry.booked_hash \
                and not comparable(entry.fingerprint, parked):
            _show_unreadable_change(entry, {"fingerprint": None, **payload}, run)
            entry.save(update_fields=["pending_hash", "pending", "pending_content"])
            return False
        if entry.state == EntryState.BOOKED and payload["content_hash"] != entry.booked_hash:
            _become_new_version(entry, payload)
            entry.last_run = run or entry.last_run
            entry.save()
            add_event(entry, EventKind.CORRECTION, run, _(
                "The version that arrived during the previous attempt is booked as version %(version)s.")
                % {"version": entry.version})
            _count_outstanding(entry.last_run_id, +1)
            return True
        if entry.state != EntryState.BOOKED:
            for name, value in payload.items():
                setattr(entry, name, value)
            if entry.state == EntryState.FAILED:
                entry.state = EntryState.NEW  # new content may well be the fix: try it
        entry.save()
        if entry.state == EntryState.NEW and was not in OUTSTANDING:
            _count_outstanding(entry.last_run_id, +1)
        return entry.state == EntryState.NEW


def _count_outstanding(run_id: int | None, delta: int) -> None:
    if run_id is not None and delta:
        ImportRun.objects.filter(pk=run_id).update(outstanding=F("outstanding") + delta)


def add_event(entry: LedgerEntry, kind: str, run, message: str, yuki_reference: str = "") -> LedgerEvent:
    return LedgerEvent.objects.create(entry=entry, run=run, kind=kind, version=entry.version, message=message,
                                      yuki_reference=yuki_reference)


