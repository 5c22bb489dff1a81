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
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors import fingerprints
from connectors.documents import SourceDocument
from portal.imports import changes
from portal.model_rows import ModelColumns, instances
from portal.models import Administration, Domain, EntryState, EventKind, ImportRun, LedgerEntry, LedgerEvent
from portal.vendors import charge_calls

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


def record_all(administration: Administration, documents: list[SourceDocument], run: ImportRun | None,
               ) -> list[Recorded]:
    """record() for a run's documents, in their order, with a few statements for any number of them: one
    read of what the ledger holds of them; documents it does not hold are inserted together, with their
    events; booked and unchanged ones need nothing more; the others go through record() one by one."""
    if not documents:
        return []
    keys = [(d.source, d.kind.value, d.source_id, d.period.key) for d in documents]
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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The run a push works for, only if it still exists (runs can be deleted; the entry then belongs to none).
_RUN_ID = "(SELECT id FROM {run} WHERE id = %s)"


@dataclass(frozen=True)
class Claimed:
    """A push's hold on its entry: the lease token, and the entry as claimed, its administration and
    domain loaded with it (entry.administration.domain makes no query)."""

    token: str
    entry: LedgerEntry


# The claimed entry (the CTE's row as updated), its administration and its domain: one row, three models.
_CLAIMED_ROW = (ModelColumns(LedgerEntry, "claimed"), ModelColumns(Administration), ModelColumns(Domain))


def claim_for_push(entry_id: int, run: ImportRun | None, states=CLAIMABLE) -> Claimed | None:
    """Take the entry for one push: its lease token and the entry to send, or None if it is not ours to push.

    One conditional UPDATE ... RETURNING: the claim is committed before the Yuki call. On PostgreSQL the
    same statement writes its event and returns the claimed row joined with its administration and
    domain, so a push reads nothing more before calling Yuki (the ORM's load of the entry was
    the push's largest CPU cost). Elsewhere (SQLite, `make run`) the event and the load follow."""
    token = secrets.token_hex(16)
    now = timezone.now()
    run_id = run.pk if run is not None else None
    entries, events, runs = _table(LedgerEntry), _table(LedgerEvent), _table(ImportRun)
    administrations, domains = _table(Administration), _table(Domain)
    update = (f"UPDATE {entries} SET state = %s, lease_token = %s, attempted_at = %s, lease_expires_at = %s, "
              f"attempts = attempts + 1, last_run_id = {_RUN_ID.format(run=runs)}, updated_at = %s "
              f"WHERE id = %s AND state IN ({', '.join(['%s'] * len(states))}) RETURNING ")
    params = [EntryState.PUSHING, token, now, now + timedelta(seconds=settings.IMPORT_PUSH_LEASE_SECONDS), run_id,
              now, entry_id, *states]
    marker = "\u2063attempt\u2063"  # where the attempt's number goes into the (translated) text
    message = _("Sending to Yuki (attempt %(n)s).") % {"n": marker}
    if connection.vendor == "postgresql":  # one statement: atomic on its own, no BEGIN/COMMIT round trips
        columns = ", ".join(shape.select(connection) for shape in _CLAIMED_ROW)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH claimed AS ({update}*), event AS (INSERT INTO {events} (entry_id, run_id, at, kind, version, "
                f"message, yuki_reference) SELECT id, last_run_id, %s, %s, version, replace(%s, %s, attempts::text), "
                f"'' FROM claimed) SELECT {columns} FROM claimed "
                f"JOIN {administrations} ON {administrations}.id = claimed.administration_id "
                f"JOIN {domains} ON {domains}.id = {administrations}.domain_id",
                [*params, now, EventKind.CLAIMED, message, marker])
            row = cursor.fetchone()
        if row is None:
            return None
        return Claimed(token, _with_relations(*instances(row, connection, *_CLAIMED_ROW)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(update + "id, attempts, version, last_run_id", params)
        row = cursor.fetchone()
        if row is None:
            return None
        _pk, attempts, version, last_run_id = row
        LedgerEvent.objects.create(entry_id=entry_id, run_id=last_run_id, kind=EventKind.CLAIMED, version=version,
                                   message=message.replace(marker, str(attempts)))
    return Claimed(token, LedgerEntry.objects.select_related("administration__domain").get(pk=entry_id))


def _with_relations(entry: LedgerEntry, administration: Administration, domain: Domain) -> LedgerEntry:
    """The entry with its administration cached, and the administration with its domain, as select_related
    leaves them."""
    LedgerEntry.administration.field.set_cached_value(entry, administration)
    Administration.domain.field.set_cached_value(administration, domain)
    return entry


@dataclass(frozen=True)
class Settled:
    """What a settle did: false when the lease was no longer ours (someone took the push over)."""

    settled: bool
    pending: bool = False  # a newer version was parked during the attempt: take_up_pending
    run_id: int | None = None
    outstanding: int | None = None  # the run's count of documents still to settle, after this one

    def __bool__(self):
        return self.settled


def settle(entry_id: int, token: str, state: str, run: ImportRun | None, message: str,
           event: str, *, yuki_calls: int = 0, **fields) -> Settled:
    """Leave `pushing` for `state`, only while still holding the lease. False: someone took it over.

    One UPDATE ... RETURNING on the entry; on PostgreSQL the same statement writes the event and counts
    the run down (ImportRun.outstanding, which lets the run finish in O(1): runs.finish_if_done) and adds
    the push's `yuki_calls` to the run; elsewhere these follow in the same transaction."""
    now = timezone.now()
    values = {"state": state, "lease_token": "", "lease_expires_at": None, "updated_at": now,
              "check_by_person": False, **fields}
    columns, params = [], []
    for name, value in values.items():
        field = LedgerEntry._meta.get_field(name)
        columns.append(f"{connection.ops.quote_name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    entries, events, runs = _table(LedgerEntry), _table(LedgerEvent), _table(ImportRun)
    update = (f"UPDATE {entries} SET {', '.join(columns)} WHERE id = %s AND state = %s AND lease_token = %s "
              f"RETURNING id, version, last_run_id, pending_hash <> '' AS pending")
    params += [entry_id, EntryState.PUSHING, token]
    down = 0 if state in OUTSTANDING else 1  # booked, failed, waiting: one fewer for the run to wait for
    run_id = run.pk if run is not None else None
    reference = fields.get("yuki_reference", "")
    if connection.vendor == "postgresql":  # one statement: atomic on its own
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH settled AS ({update}), "
                f"event AS (INSERT INTO {events} (entry_id, run_id, at, kind, version, message, yuki_reference) "
                f"SELECT id, {_RUN_ID.format(run=runs)}, %s, %s, version, %s, %s FROM settled), "
                f"counted AS (UPDATE {runs} SET outstanding = outstanding - %s, yuki_calls = yuki_calls + "
                f"(CASE WHEN {runs}.id = %s THEN %s ELSE 0 END) FROM settled WHERE {runs}.id = settled.last_run_id "
                f"RETURNING {runs}.id, outstanding) "
                f"SELECT settled.pending, counted.id, counted.outstanding FROM settled LEFT JOIN counted ON true",
                [*params, run_id, now, event, message, reference, down, run_id, yuki_calls])
            row = cursor.fetchone()
            if row is None:
                charge_calls(run_id, yuki_calls)
                return Settled(False)
            if yuki_calls and row[1] != run_id:
                charge_calls(run_id, yuki_calls)  # the entry belongs to another run now: the calls stay this run's
        return Settled(True, bool(row[0]), row[1], row[2])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(update, params)
        row = cursor.fetchone()
        if row is None:
            charge_calls(run_id, yuki_calls)
            return Settled(False)
        _pk, version, last_run_id, pending = row
        LedgerEvent.objects.create(entry_id=entry_id, run_id=run_id, kind=event, version=version, message=message,
                                   yuki_reference=reference)
        outstanding = None
        if last_run_id is not None:
            cursor.execute(f"UPDATE {runs} SET outstanding = outstanding - %s WHERE id = %s RETURNING outstanding",
                           [down, last_run_id])
            counted = cursor.fetchone()
            outstanding = counted[0] if counted else None
        charge_calls(run_id, yuki_calls)
        return Settled(True, bool(pending), last_run_id, outstanding)



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


