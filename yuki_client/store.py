"""Shared storage for session IDs and call counts: a tiny protocol and an in-process implementation.

Clients share sessions and counts through a store: `MemoryStore` within one process; the portal's
database-backed one (portal/yuki_store.py) across its workers. Keys are never raw
secrets: sessions are stored under `fingerprint(...)` of the credentials.
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import date
from typing import Protocol


class YukiStore(Protocol):
    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        """Atomically count one call for the domain on `day` if fewer than `budget` were counted.
        Returns the new count, or None (and counts nothing) when the budget is used up or Yuki
        reported its daily limit reached that day (mark_limit_reached)."""

    def calls_on(self, domain_id: str, day: date) -> int:
        """Calls counted for the domain on `day`."""

    def get_session(self, fingerprint: str) -> str | None:
        """The live session ID stored for these credentials, if any."""

    def set_session(self, fingerprint: str, session_id: str, ttl: int) -> None:
        """Store a session ID for `ttl` seconds (replacing any other)."""

    def add_session(self, fingerprint: str, session_id: str, ttl: int) -> str:
        """Store a session ID for `ttl` seconds unless a live one is stored already; returns the
        session that is stored now. Two workers that authenticated at the same moment both end up
        with the first one stored: one wins, both use it."""

    def drop_session(self, fingerprint: str, session_id: str) -> None:
        """Forget the session, only if it is still `session_id` (another worker may have renewed it)."""

    def mark_limit_reached(self, domain_id: str, day: date) -> None:
        """Remember that Yuki itself refused a call of the domain on `day` for its daily limit."""

    def limit_reached(self, domain_id: str, day: date) -> bool:
        """Whether Yuki refused the domain's calls on `day` for its daily limit (see mark_limit_reached)."""


def fingerprint(base_url: str, *secret_parts: str) -> str:
    """Stable, non-reversible storage key for credentials at one Yuki host."""
    digest = hashlib.sha256()
    for part in (base_url, *secret_parts):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


class MemoryStore:
    """Thread-safe store for one process (tests, scripts, a single worker)."""

    def __init__(self, clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self._counts: dict[tuple[str, date], int] = {}
        self._sessions: dict[str, tuple[str, float]] = {}
        self._limit_days: set[tuple[str, date]] = set()

    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        with self._lock:
            used = self._counts.get((domain_id, day), 0)
            if used >= budget or (domain_id, day) in self._limit_days:
                return None
            self._counts[(domain_id, day)] = used + 1
            return used + 1

    def calls_on(self, domain_id: str, day: date) -> int:
        with self._lock:
            return self._counts.get((domain_id, day), 0)

    def get_session(self, fingerprint: str) -> str | None:
        with self._lock:
            entry = self._sessions.get(fingerprint)
            if entry is None or entry[1] <= self._clock():
                return None
            return entry[0]

    def set_session(self, fingerprint: str, session_id: str, ttl: int) -> None:
        with self._lock:
            self._sessions[fingerprint] = (session_id, self._clock() + ttl)

    def add_session(self, fingerprint: str, session_id: str, ttl: int) -> str:
        with self._lock:
            entry = self._sessions.get(fingerprint)
            if entry is not None and entry[1] > self._clock():
                return entry[0]
            self._sessions[fingerprint] = (session_id, self._clock() + ttl)
            return session_id

    def drop_session(self, fingerprint: str, session_id: str) -> None:
        with self._lock:
            entry = self._sessions.get(fingerprint)
            if entry is not None and entry[0] == session_id:
                del self._sessions[fingerprint]

    def mark_limit_reached(self, domain_id: str, day: date) -> None:
        with self._lock:
            self._limit_days.add((domain_id, day))

    def limit_reached(self, domain_id: str, day: date) -> bool:
        with self._lock:
            return (domain_id, day) in self._limit_days
