"""Everything the Nmbrs REST sandbox holds and received: `app.state` (sandbox/README.md).

Payroll data comes from a `sandbox.nmbrs.state.NmbrsState` (the SOAP sandbox's, so the numbers agree);
on top: the OAuth client and login, codes and rotating tokens, the subscription keys, document tasks
(202 for the first `polls_before_ready` polls, or never for kinds in `never_ready`), the burst limit
(429 with Retry-After) and a log of every API request with the most calls ever in flight at once.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.nmbrs.state import NmbrsState
from sandbox.nmbrs_rest import data

ALL_SCOPES = ("company.info.read", "company.payrollsettings.read", "company.document.read",
              "employee.document.read", "document.read", "user.info.read", "debtor.info.read", "offline_access")


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    username: str
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class Task:
    kind: str  # journal, sepa, wagetax, payslip, annualstatement
    make: Callable[[], bytes]  # generates the file anew on each fetch (sandbox/stamps.py)
    polls_left: int  # 202 answers still to give
    polls: int = 0


@dataclass
class RestState:
    payroll: NmbrsState = field(default_factory=NmbrsState)
    clock: Callable[[], float] = time.time
    clients: dict[str, str] = field(default_factory=lambda: {data.CLIENT_ID: data.CLIENT_SECRET})
    redirect_uris: dict[str, set[str]] = field(default_factory=lambda: {data.CLIENT_ID: set()})
    users: dict[str, str] = field(default_factory=lambda: {data.DEMO_USERNAME: data.DEMO_PASSWORD})
    subscription_keys: set[str] = field(default_factory=lambda: {data.SUBSCRIPTION_KEY})
    withheld_scopes: set[str] = field(default_factory=set)  # scopes the login never grants (a test switch)
    codes: dict[str, Grant] = field(default_factory=dict)
    tickets: dict[str, tuple[str, float]] = field(default_factory=dict)
    access_tokens: dict[str, tuple[str, tuple[str, ...], float]] = field(default_factory=dict)
    refresh_tokens: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    polls_before_ready: int = 1  # the first poll of a task answers 202, as a document takes time to make
    never_ready: set[str] = field(default_factory=set)  # task kinds that answer 202 forever
    document_delay: float = 0.0  # seconds each /api/documents answer takes (shows calls side by side)
    burst_calls: int = 100  # more API calls than this within burst_seconds get 429 + Retry-After
    burst_seconds: float = 1.0
    retry_after: int = 1
    requests: deque = field(default_factory=lambda: deque(maxlen=10_000))
    in_flight: int = 0
    max_in_flight: int = 0
    _recent: deque = field(default_factory=deque)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # --- OAuth --------------------------------------------------------------------------------------
    def register_redirect_uri(self, uri: str, client_id: str = data.CLIENT_ID) -> None:
        with self.lock:
            self.redirect_uris.setdefault(client_id, set()).add(uri)

    def is_registered(self, client_id: str, uri: str) -> bool:
        with self.lock:
            return uri in self.redirect_uris.get(client_id, set())

    def check_password(self, username: str, password: str) -> bool:
        known = self.users.get(username.lower())
        return known is not None and secrets.compare_digest(known, password)

    def new_ticket(self, username: str) -> str:
        ticket = secrets.token_urlsafe(24)
        with self.lock:
            self.tickets[ticket] = (username.lower(), self.clock() + 600)
        return ticket

    def take_ticket(self, ticket: str) -> str | None:
        with self.lock:
            username, expires = self.tickets.pop(ticket, (None, 0.0))
        return username if username and expires > self.clock() else None

    def new_code(self, client_id: str, redirect_uri: str, username: str, scopes: tuple[str, ...]) -> str:
        code = secrets.token_urlsafe(24)
        granted = tuple(s for s in scopes if s not in self.withheld_scopes)
        with self.lock:
            self.codes[code] = Grant(client_id, redirect_uri, username, granted, self.clock() + data.CODE_TTL)
        return code

    def take_code(self, code: str) -> Grant | None:
        with self.lock:
            grant = self.codes.pop(code, None)
        return grant if grant is not None and grant.expires_at > self.clock() else None

    def issue_tokens(self, username: str, scopes: tuple[str, ...]) -> dict:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[access] = (username, scopes, self.clock() + data.ACCESS_TOKEN_TTL)
            if "offline_access" in scopes:
                self.refresh_tokens[refresh] = (username, scopes)
        answer = {"access_token": access, "token_type": "Bearer", "expires_in": data.ACCESS_TOKEN_TTL,
                  "scope": " ".join(scopes)}
        return {**answer, "refresh_token": refresh} if "offline_access" in scopes else answer

    def rotate(self, refresh_token: str) -> dict | None:
        """A refresh: the old refresh token dies, a new pair is issued. None: invalid_grant."""
        with self.lock:
            found = self.refresh_tokens.pop(refresh_token, None)
            return None if found is None or found[0] not in self.users else self.issue_tokens(*found)

    def token(self, access_token: str) -> tuple[str, tuple[str, ...]] | None:
        with self.lock:
            username, scopes, expires = self.access_tokens.get(access_token, (None, (), 0.0))
        return (username, scopes) if username and expires > self.clock() and username in self.users else None

    # --- switches for tests -------------------------------------------------------------------------
    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {t: (u, s, 0.0) for t, (u, s, _) in self.access_tokens.items()}

    def revoke_grants(self) -> None:
        """The person (or Nmbrs) revoked the portal's access: every token of every grant dies."""
        with self.lock:
            self.refresh_tokens.clear()
            self.access_tokens.clear()

    # --- tasks, bursts and the request log ----------------------------------------------------------
    def new_task(self, kind: str, make: Callable[[], bytes]) -> str:
        task_id = data.uid("task", secrets.token_hex(16))
        with self.lock:
            self.tasks[task_id] = Task(kind, make, self.polls_before_ready)
        return task_id

    def poll(self, task_id: str) -> Task | None:
        """The task after one more poll (its `polls_left` tells whether it is ready), or None."""
        with self.lock:
            task = self.tasks.get(task_id)
            if task is not None:
                task.polls += 1
                if task.kind not in self.never_ready and task.polls_left > 0:
                    task.polls_left -= 1
                    return Task(task.kind, task.make, 1, task.polls)
                return Task(task.kind, task.make, 1 if task.kind in self.never_ready else 0, task.polls)
        return None

    def over_burst(self) -> bool:
        now = self.clock()
        with self.lock:
            while self._recent and self._recent[0] <= now - self.burst_seconds:
                self._recent.popleft()
            if len(self._recent) >= self.burst_calls:
                return True
            self._recent.append(now)
            return False

    def enter(self, request: dict) -> None:
        with self.lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def requests_to(self, fragment: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if fragment in r["path"]]
