"""The portal's store for yuki_client: call counts and sessions in the database.

Works the same on PostgreSQL and on the SQLite of the one-command run, across web and worker
processes, and the dashboard reads the counts from the same table.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal.models import YukiCallCount, YukiSession

# The live sessions this process has read or stored, with the expiry stored with them: a push reuses
# the session without a query until it expires here or Yuki rejects it (`drop_session`). The shared row
# stays the truth across processes: a process whose remembered session was replaced elsewhere gets
# Yuki's rejection once, drops it and reads the replacement (yuki_client.YukiClient.call).
_SESSIONS: dict[str, tuple[str, datetime]] = {}
_SESSIONS_LOCK = threading.Lock()


def forget_sessions() -> None:
    """Forget the sessions remembered in this process (tests: a fresh database or Yuki sandbox)."""
    with _SESSIONS_LOCK:
        _SESSIONS.clear()


def _remember(fingerprint: str, session_id: str, expires_at: datetime) -> None:
    with _SESSIONS_LOCK:
        _SESSIONS[fingerprint] = (session_id, expires_at)


def _forget(fingerprint: str, session_id: str | None = None) -> None:
    with _SESSIONS_LOCK:
        remembered = _SESSIONS.get(fingerprint)
        if remembered is not None and (session_id is None or remembered[0] == session_id):
            del _SESSIONS[fingerprint]


class DatabaseYukiStore:
    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        # One statement (an upsert), atomic across processes: the day's row is created with this call
        # counted, or counted up only while under the budget and not on a day Yuki reported its own daily
        # limit reached. No row returned: refused. PostgreSQL and SQLite (3.35+: RETURNING) alike.
        if budget < 1:
            return None
        table = connection.ops.quote_name(YukiCallCount._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (domain_id, day, count, limit_reached) VALUES (%s, %s, 1, %s) "
                f"ON CONFLICT (domain_id, day) DO UPDATE SET count = {table}.count + 1 "
                f"WHERE {table}.count < %s AND NOT {table}.limit_reached RETURNING count",
                [domain_id, day, False, budget])
            row = cursor.fetchone()
        return row[0] if row else None

    def calls_on(self, domain_id: str, day: date) -> int:
        row = YukiCallCount.objects.filter(domain_id=domain_id, day=day).first()
        return row.count if row else 0

    def get_session(self, fingerprint: str) -> str | None:
        now = timezone.now()
        remembered = _SESSIONS.get(fingerprint)
        if remembered is not None and remembered[1] > now:
            return remembered[0]
        row = YukiSession.objects.filter(fingerprint=fingerprint, expires_at__gt=now).first()
        if row is None:
            _forget(fingerprint)
            return None
        _remember(fingerprint, row.session_id, row.expires_at)
        return row.session_id

    def set_session(self, fingerprint: str, session_id: str, ttl: int) -> None:
        expires_at = timezone.now() + timedelta(seconds=ttl)
        _forget(fingerprint)  # until the row is written: a failed write must not leave it remembered
        YukiSession.objects.update_or_create(
            fingerprint=fingerprint, defaults={"session_id": session_id, "expires_at": expires_at})
        _remember(fingerprint, session_id, expires_at)

    def add_session(self, fingerprint: str, session_id: str, ttl: int) -> str:
        expires_at = timezone.now() + timedelta(seconds=ttl)
        _forget(fingerprint)
        try:
            with transaction.atomic():
                YukiSession.objects.create(fingerprint=fingerprint, session_id=session_id, expires_at=expires_at)
        except IntegrityError:
            pass  # a row exists (live, or expired and not yet replaced)
        else:
            _remember(fingerprint, session_id, expires_at)
            return session_id
        with transaction.atomic():
            row = YukiSession.objects.select_for_update().get(fingerprint=fingerprint)
            if row.expires_at <= timezone.now():
                row.session_id, row.expires_at = session_id, expires_at
                row.save(update_fields=["session_id", "expires_at"])
            # else another worker's session won: use it
            stored, stored_until = row.session_id, row.expires_at
        _remember(fingerprint, stored, stored_until)  # after the commit: only what the table holds
        return stored

    def mark_limit_reached(self, domain_id: str, day: date) -> None:
        try:
            with transaction.atomic():
                YukiCallCount.objects.get_or_create(domain_id=domain_id, day=day)
        except IntegrityError:
            pass
        YukiCallCount.objects.filter(domain_id=domain_id, day=day).update(limit_reached=True)

    def limit_reached(self, domain_id: str, day: date) -> bool:
        return YukiCallCount.objects.filter(domain_id=domain_id, day=day, limit_reached=True).exists()

    def drop_session(self, fingerprint: str, session_id: str) -> None:
        _forget(fingerprint, session_id)
        with transaction.atomic():
            row = YukiSession.objects.select_for_update().filter(fingerprint=fingerprint).first()
            # Encrypted values cannot be compared in SQL; compare here, under the row lock.
            if row is not None and row.session_id == session_id:
                row.delete()


class CountingStore:
    """Wraps a store and counts the calls reserved through it: the Yuki calls one push or run used."""

    def __init__(self, inner):
        self.inner = inner
        self.reserved = 0

    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        used = self.inner.reserve_call(domain_id, day, budget)
        if used is not None:
            self.reserved += 1
        return used

    def __getattr__(self, name):
        return getattr(self.inner, name)
