"""Everything the Yuki sandbox knows and everything it received, behind one lock.

Tests and the demo inspect it (`app.state.journals`, `.archive`, `.petty_cash`, `.calls_on(...)`)
and change it (`register`, `expire_sessions`, `daily_limit`).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sandbox.yuki import fault_texts
from sandbox.yuki.data import SandboxAccessKey, SandboxAdministration, SandboxDomain, SandboxUser

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YUKI_DAILY_LIMIT = 1000  # API calls per day per domain, over all linked applications (docs/vendors/yuki.md)
SESSION_LIFETIME = timedelta(hours=24)  # "reported to stay valid for about 24 hours" (docs/vendors/yuki.md)


class SoapFault(Exception):
    """Raised by handlers; the app answers it as an HTTP 500 soap:Fault with this text."""

    def __init__(self, message: str, code: str = "soap:Server"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Session:
    id: str
    domain_id: str
    administration_ids: tuple[str, ...]
    expires_at: datetime
    current_domain_id: str


@dataclass(frozen=True)
class JournalEntry:
    entry_date: date
    gl_account: str
    amount: Decimal
    description: str
    contact_name: str = ""
    contact_code: str = ""


@dataclass
class BookedJournal:
    id: str
    administration_id: str
    subject: str
    journal_type: str
    entries: list[JournalEntry]
    xml: bytes


@dataclass
class ArchivedFile:
    id: str
    administration_id: str
    file_name: str
    data: bytes
    folder: int
    fields: dict = field(default_factory=dict)  # UploadDocumentWithData's extra fields
    created: datetime | None = None  # when the sandbox received it (its clock); set by store_file


@dataclass
class PettyCashImport:
    id: str
    administration_id: str
    operation: str
    lines: list[dict]
    statement_text: str = ""


class SandboxState:
    def __init__(self, clock=None):
        self._lock = threading.RLock()
        self.clock = clock or (lambda: datetime.now(AMSTERDAM))
        self.daily_limit = YUKI_DAILY_LIMIT
        self.session_lifetime = SESSION_LIFETIME
        self.domains: dict[str, SandboxDomain] = {}
        self.administrations: dict[str, SandboxAdministration] = {}
        self.access_keys: dict[str, SandboxAccessKey] = {}
        self.users: dict[str, SandboxUser] = {}
        self.sessions: dict[str, Session] = {}
        self.journals: list[BookedJournal] = []
        self.archive: list[ArchivedFile] = []
        self.petty_cash: list[PettyCashImport] = []
        self.call_counts: dict[tuple[str, date], int] = {}
        self.authentications = 0  # successful Authenticate/AuthenticateByUserName calls

    # --- set-up -------------------------------------------------------------------------------
    def register(self, domain: SandboxDomain, administrations: list[SandboxAdministration],
                 access_key: str | None = None, user: tuple[str, str] | None = None) -> None:
        """Add (or replace) a domain with its administrations; optionally a key/user reaching all of them."""
        with self._lock:
            self.domains[domain.id] = domain
            for administration in administrations:
                self.administrations[administration.id] = administration
            ids = tuple(a.id for a in administrations)
            if access_key:
                self.access_keys[access_key] = SandboxAccessKey(access_key, domain.id, ids)
            if user:
                self.users[user[0]] = SandboxUser(user[0], user[1], domain.id, ids)

    def add_access_key(self, key: str, domain_id: str, administration_ids: tuple[str, ...] | list[str]) -> None:
        with self._lock:
            if domain_id not in self.domains:
                raise KeyError(f"unknown sandbox domain {domain_id}")
            self.access_keys[key] = SandboxAccessKey(key, domain_id, tuple(administration_ids))

    def remove_gl_account(self, administration_id: str, code: str) -> bool:
        """Take an account out of an administration's chart (tests, the sandbox's own page): its
        GetGLAccountScheme no longer lists it and ProcessJournal refuses a journal using it."""
        with self._lock:
            return self.administrations[administration_id].gl_accounts.pop(code, None) is not None

    def add_gl_account(self, administration_id: str, code: str, description: str) -> None:
        with self._lock:
            self.administrations[administration_id].gl_accounts[code] = description

    def expire_sessions(self) -> None:
        """Make every existing session expired, as if 24 hours had passed."""
        with self._lock:
            past = self.clock() - timedelta(seconds=1)
            for session in self.sessions.values():
                session.expires_at = past

    # --- sessions -----------------------------------------------------------------------------
    def open_session(self, domain_id: str, administration_ids: tuple[str, ...]) -> str:
        with self._lock:
            session_id = str(uuid.uuid4())
            self.sessions[session_id] = Session(session_id, domain_id, administration_ids,
                                                self.clock() + self.session_lifetime, domain_id)
            self.authentications += 1
            return session_id

    def session(self, session_id: str | None) -> Session:
        with self._lock:
            session = self.sessions.get(session_id or "")
            if session is None or session.expires_at <= self.clock():
                raise SoapFault(fault_texts.SESSION_EXPIRED)
            return session

    # --- the daily call limit -----------------------------------------------------------------
    def today(self) -> date:
        return self.clock().astimezone(AMSTERDAM).date()

    def count_call(self, domain_id: str) -> None:
        """Count one API call for the domain, or fault when the day's limit is already used up."""
        with self._lock:
            key = (domain_id, self.today())
            used = self.call_counts.get(key, 0)
            if used >= self.daily_limit:
                raise SoapFault(fault_texts.DAILY_LIMIT.format(limit=self.daily_limit))
            self.call_counts[key] = used + 1

    def calls_on(self, domain_id: str, day: date | None = None) -> int:
        with self._lock:
            return self.call_counts.get((domain_id, day or self.today()), 0)

    # --- what was received --------------------------------------------------------------------
    def book_journal(self, journal: BookedJournal) -> None:
        with self._lock:
            self.journals.append(journal)

    def booked_journals(self, administration_id: str) -> list[BookedJournal]:
        """The journals booked in one administration, in booking order (a copy of the list)."""
        with self._lock:
            return [j for j in self.journals if j.administration_id == administration_id]

    def store_file(self, archived: ArchivedFile) -> None:
        with self._lock:
            if archived.created is None:
                archived.created = self.clock()
            self.archive.append(archived)

    def archived_files(self, administration_ids: tuple[str, ...]) -> list[ArchivedFile]:
        """The archive of these administrations, in upload order (a copy of the list)."""
        with self._lock:
            return [f for f in self.archive if f.administration_id in administration_ids]

    def delete_journal(self, document_id: str) -> bool:
        """A booked journal deleted in Yuki (tests inject a difference): no listing shows its lines again."""
        with self._lock:
            kept = [j for j in self.journals if j.id != document_id]
            deleted, self.journals[:] = len(kept) != len(self.journals), kept
            return deleted

    def delete_file(self, file_name: str) -> bool:
        """An archived document deleted in Yuki (tests inject a difference): SearchDocuments no longer finds it."""
        with self._lock:
            kept = [f for f in self.archive if f.file_name != file_name]
            deleted, self.archive[:] = len(kept) != len(self.archive), kept
            return deleted

    def store_petty_cash(self, imported: PettyCashImport) -> None:
        with self._lock:
            self.petty_cash.append(imported)

    def administration(self, session: Session, administration_id: str | None) -> SandboxAdministration:
        with self._lock:
            administration = self.administrations.get(administration_id or "")
            if administration is None or administration_id not in session.administration_ids:
                raise SoapFault(fault_texts.UNKNOWN_ADMINISTRATION.format(id=administration_id or ""))
            return administration
