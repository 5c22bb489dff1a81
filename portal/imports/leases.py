"""A push's hold on its ledger entry: claimed before the Yuki call, settled after (portal.imports.ledger).

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

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.imports.ledger import CLAIMABLE, OUTSTANDING, add_event
from portal.model_rows import ModelColumns, instances
from portal.models import Administration, Domain, EntryState, EventKind, ImportRun, LedgerEntry, LedgerEvent
from portal.vendors import charge_calls


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
    the run down (ImportRun.outstanding, which lets the run finish in O(1): finishing.finish_if_done) and adds
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
