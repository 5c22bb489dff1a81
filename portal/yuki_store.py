"""The portal's store for yuki_client: call counts and sessions in the database.

Works the same on PostgreSQL and on the SQLite of the one-command run, across web and worker
processes, and the dashboard reads the counts from the same table.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal.models import YukiCallCount, YukiSession


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
        row = YukiSession.objects.filter(fingerprint=fingerprint, expires_at__gt=timezone.now()).first()
        return row.session_id if row else None

    def set_session(self, fingerprint: str, session_id: str, ttl: int) -> None:
        YukiSession.objects.update_or_create(
            fingerprint=fingerprint,
            defaults={"session_id": session_id, "expires_at": timezone.now() + timedelta(seconds=ttl)})

    def add_session(self, fingerprint: str, session_id: str, ttl: int) -> str:
        expires_at = timezone.now() + timedelta(seconds=ttl)
        try:
            with transaction.atomic():
                YukiSession.objects.create(fingerprint=fingerprint, session_id=session_id, expires_at=expires_at)
                return session_id
        except IntegrityError:
            pass  # a row exists (live, or expired and not yet replaced)
        with transaction.atomic():
            row = YukiSession.objects.select_for_update().get(fingerprint=fingerprint)
            if row.expires_at > timezone.now():
                return row.session_id  # another worker's session won: use it
            row.session_id, row.expires_at = session_id, expires_at
            row.save(update_fields=["session_id", "expires_at"])
            return session_id

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
