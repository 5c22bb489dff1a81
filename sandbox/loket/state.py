"""What the Loket sandbox holds: users and their rights, OAuth codes and tokens, and test switches.

Tests change the world through these methods (revoke a right, correct a payslip, expire tokens);
`requests` records every API call the sandbox received, for assertions on headers and paging.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from sandbox.loket import data


@dataclass
class SandboxUser:
    password: str
    rights: set[str]
    employer_ids: set[str] | None = None  # None: every employer


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    username: str
    expires_at: float


@dataclass
class LoketState:
    access_token_ttl: int = 3599  # docs/vendors/loket.md: expires_in 3599
    code_ttl: int = 60
    clock: object = time.time  # seconds; tests may replace it
    today: object = date.today  # "now" for the generated periods; tests may pin it
    users: dict[str, SandboxUser] = field(default_factory=lambda: {
        data.DEMO_USERNAME: SandboxUser(data.DEMO_PASSWORD, set(data.ALL_RIGHTS))})
    clients: dict[str, str] = field(default_factory=lambda: {data.CLIENT_ID: data.CLIENT_SECRET})
    # The redirect URIs registered with each client, as at Loket: the code goes to these only.
    redirect_uris: dict[str, set[str]] = field(default_factory=lambda: {data.CLIENT_ID: set()})
    codes: dict[str, Grant] = field(default_factory=dict)
    logins: dict[str, tuple[str, float]] = field(default_factory=dict)  # login ticket -> (user, expiry)
    access_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # live refresh token -> user
    payslip_revisions: dict[tuple[str, int], int] = field(default_factory=dict)
    tax_return_revisions: dict[str, int] = field(default_factory=dict)
    journal_run_status: dict[tuple[str, int], int] = field(default_factory=dict)
    # (administration id, period id) -> a wage tax return's {"key", "value"}, instead of the one by its age.
    tax_return_status: dict[tuple[str, int], dict] = field(default_factory=dict)
    # A Loket whose cumulative-payslip period ids differ per employment (a reading the spec makes unlikely
    # but does not rule out): the connector must still fetch every payslip.
    summary_ids_per_employment: bool = False
    requests: list[dict] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    # --- OAuth -------------------------------------------------------------------------------------

    def register_redirect_uri(self, uri: str, client_id: str = data.CLIENT_ID) -> None:
        """What a developer does once at Loket for a client: register where its codes may be sent."""
        with self.lock:
            self.redirect_uris.setdefault(client_id, set()).add(uri)

    def is_registered(self, client_id: str, uri: str) -> bool:
        with self.lock:
            return uri in self.redirect_uris.get(client_id, set())

    def now(self) -> float:
        return self.clock()

    def check_password(self, username: str, password: str) -> bool:
        user = self.users.get(username)
        return user is not None and secrets.compare_digest(user.password, password)

    def new_login_ticket(self, username: str) -> str:
        ticket = secrets.token_urlsafe(24)
        with self.lock:
            self.logins[ticket] = (username, self.now() + 600)
        return ticket

    def take_login_ticket(self, ticket: str) -> str | None:
        with self.lock:
            username, expires = self.logins.pop(ticket, (None, 0.0))
        return username if username and expires > self.now() else None

    def new_code(self, client_id: str, redirect_uri: str, username: str) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = Grant(client_id, redirect_uri, username, self.now() + self.code_ttl)
        return code

    def take_code(self, code: str) -> Grant | None:
        """Codes are single-use: taking one removes it, valid or not."""
        with self.lock:
            grant = self.codes.pop(code, None)
        return grant if grant is not None and grant.expires_at > self.now() else None

    def issue_tokens(self, username: str) -> dict:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[access] = (username, self.now() + self.access_token_ttl)
            self.refresh_tokens[refresh] = username
        return {"access_token": access, "token_type": "bearer", "expires_in": self.access_token_ttl,
                "refresh_token": refresh, "two_factor_state": "None"}

    def rotate(self, refresh_token: str) -> dict | None:
        """A refresh: the old refresh token dies, a new pair is issued. None: invalid_grant."""
        with self.lock:
            username = self.refresh_tokens.pop(refresh_token, None)
            if username is None or username not in self.users:
                return None
            return self.issue_tokens(username)

    def user_of(self, access_token: str) -> str | None:
        with self.lock:
            username, expires = self.access_tokens.get(access_token, (None, 0.0))
        return username if username and expires > self.now() and username in self.users else None

    # --- switches for tests --------------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {t: (u, 0.0) for t, (u, _) in self.access_tokens.items()}

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self.refresh_tokens.clear()

    def revoke_right(self, right: str, username: str = data.DEMO_USERNAME) -> None:
        self.users[username].rights.discard(right)

    def correct_payslip(self, employment_id: str, year: int, month: int) -> None:
        """Loket re-issues the payslip (a correction run): same document, new content."""
        key = (employment_id, data.period_id(year, month))
        with self.lock:
            self.payslip_revisions[key] = self.payslip_revisions.get(key, 0) + 1

    def correct_tax_return(self, tax_return_id: str) -> None:
        with self.lock:
            self.tax_return_revisions[tax_return_id] = self.tax_return_revisions.get(tax_return_id, 0) + 1

    def set_journal_run_status(self, administration_id: str, year: int, month: int, key: int) -> None:
        """E.g. key 1: the run is still being processed, so Loket has no results for it yet."""
        self.journal_run_status[(administration_id, data.period_id(year, month))] = key

    def set_tax_return_status(self, administration_id: str, year: int, month: int, key: int, value: str) -> None:
        """E.g. key 4 'Geaccepteerd' once the tax authority accepted it, or a status the portal does not know."""
        self.tax_return_status[(administration_id, data.period_id(year, month))] = {"key": key, "value": value}

    def record(self, entry: dict) -> None:
        with self.lock:
            self.requests.append(entry)
            if len(self.requests) > 5000:  # the demo runs for days; keep the recent calls only
                del self.requests[:1000]
