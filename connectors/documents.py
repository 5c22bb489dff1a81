"""The one document type every payroll source delivers to the import engine.

Sources differ in everything but this: the engine records, books and reports `SourceDocument`s and
never looks at where they came from beyond `source` (the key the source is registered under). What each
document kind needs is its entry in connectors/kinds.py (`DocumentKind` names the built-in ones).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from connectors import fingerprints, kinds
from connectors.kinds import DocumentKind
from yuki_client.journal import imbalance

CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Period:
    """A payroll period. Monthly for almost everyone; some sources also know 4-weekly periods (number 1-13)."""

    year: int
    number: int
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(year, month, date(year, month, 1), date(year, month, last))

    @classmethod
    def whole_year(cls, year: int) -> Period:
        """The whole year (number 0, key 'YYYY-P00'): annual documents and the like."""
        return cls(year, 0, date(year, 1, 1), date(year, 12, 31))

    @property
    def key(self) -> str:
        """Stable text form used in ledger keys: '2026-11' (or '2026-P13' for non-monthly numbers)."""
        if self.start.year == self.year and self.start.month == self.number:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-P{self.number:02d}"

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class JournalLine:
    """One journal line. `amount` is signed the Yuki way: debit positive, credit negative.

    `cost_centre` and `cost_unit` are the source's analytic dimensions (kostenplaats, kostendrager),
    kept for a later mapping to Yuki; empty when the source gives none."""

    entry_date: date
    gl_account: str
    amount: Decimal
    description: str
    cost_centre: str = ""
    contact_name: str = ""
    contact_code: str = ""
    cost_unit: str = ""

    def __post_init__(self):
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"amount must be a Decimal, got {type(self.amount).__name__}")
        if not self.gl_account:
            raise ValueError("a journal line needs a GL account")
        object.__setattr__(self, "amount", self.amount.quantize(CENT))

    @classmethod
    def from_debit_credit(cls, *, entry_date: date, gl_account: str, debit: Decimal, credit: Decimal,
                          description: str, **extra) -> JournalLine:
        return cls(entry_date=entry_date, gl_account=gl_account, amount=Decimal(debit) - Decimal(credit),
                   description=description, **extra)

    def as_dict(self) -> dict:
        return {
            "entry_date": self.entry_date.isoformat(),
            "gl_account": self.gl_account,
            "amount": str(self.amount),
            "description": self.description,
            "cost_centre": self.cost_centre,
            "contact_name": self.contact_name,
            "contact_code": self.contact_code,
            # Only when set: a line without one is the same dict (and content hash) as before this field
            # existed, so journals already in the ledger are not mistaken for corrected ones.
            **({"cost_unit": self.cost_unit} if self.cost_unit else {}),
        }


class UnbalancedJournal(ValueError):
    pass


def check_balanced(lines: tuple[JournalLine, ...] | list[JournalLine]) -> None:
    """A source's journal must be one Yuki accepts (the rule is yuki_client.journal.imbalance): checked
    when the document is made, so an unbalanced journal never reaches the ledger."""
    off = imbalance(lines)
    if off is None:
        return
    day, amount = off
    if day is None:
        raise UnbalancedJournal(f"journal lines sum to {amount}, not 0.00")
    raise UnbalancedJournal(f"journal lines dated {day.isoformat()} sum to {amount}, not 0.00")


@dataclass(frozen=True)
class SourceDocument:
    """A payroll document as fetched from a source, ready for the ledger.

    Exactly one of `content` (a file: PDF, XML) and `journal_lines` is set. `source_id` is stable
    across fetches of the same document, so the ledger can key on it; `content_hash` (the digest of
    its `fingerprint`, what the document says: connectors.fingerprints) changes when the source
    corrects the document, not when it merely generates the same document anew.
    """

    source: str  # the source's registry key, e.g. the folder name under integrations/
    kind: DocumentKind
    source_id: str
    period: Period
    title: str
    file_name: str = ""
    content: bytes | None = None
    journal_lines: tuple[JournalLine, ...] | None = None
    metadata: dict = field(default_factory=dict, compare=False, hash=False)
    fingerprint: fingerprints.Fingerprint = field(init=False, compare=False, repr=False)
    content_hash: str = field(init=False)

    def __post_init__(self):
        if (self.content is None) == (self.journal_lines is None):
            raise ValueError("a SourceDocument carries either content bytes or journal lines")
        if not self.source_id:
            raise ValueError("a SourceDocument needs a stable source_id")
        if not kinds.is_registered(self.kind):
            raise ValueError(f"{self.kind!r} is no registered document kind (connectors/kinds.py)")
        if self.content is not None and not self.file_name:
            raise ValueError("a file document needs a file name")
        if self.journal_lines is not None:
            object.__setattr__(self, "journal_lines", tuple(self.journal_lines))
            check_balanced(self.journal_lines)
        object.__setattr__(self, "fingerprint", self._fingerprint())
        object.__setattr__(self, "content_hash", self.fingerprint.digest)

    @property
    def is_journal(self) -> bool:
        return self.journal_lines is not None

    def _fingerprint(self) -> fingerprints.Fingerprint:
        if self.content is not None:
            return kinds.file_fingerprint(self.kind, self.content)
        return fingerprints.of_journal([line.as_dict() for line in self.journal_lines])


class WaitReason(StrEnum):
    """Why a document the source shows is not booked (yet): recorded in the ledger, never dropped."""

    NOT_FINAL = "not_final"  # a status we know, not final yet: booked by a later import once it is
    UNKNOWN_STATUS = "unknown_status"  # a status text the portal does not know: a person must look
    UNREADABLE = "unreadable"  # the answer has not the shape the code expects (a field missing, ...)
    FILTERED = "filtered"  # the import settings do not select it (e.g. the wage tax return status filter)
    # The source is still making the file (an asynchronous document task that did not finish in time):
    # booked by a later import, which asks for it again.
    NOT_READY = "not_ready"


@dataclass(frozen=True)
class WaitingDocument:
    """A document the source shows us that is not booked now, with why and the vendor's own status text.

    `source_id` and `period` are those the document will have once it can be booked (the ledger's
    key), so the same ledger row is booked later, once.
    """

    source: str
    kind: DocumentKind
    source_id: str
    period: Period
    title: str
    reason: WaitReason
    status: str = ""  # the vendor's status text, as it gave it
    detail: str = ""  # what was wrong with an unreadable answer (English, for the log and the history)

    def __post_init__(self):
        if not self.source_id:
            raise ValueError("a WaitingDocument needs the source_id its document will have")
        if not kinds.is_registered(self.kind):
            raise ValueError(f"{self.kind!r} is no registered document kind (connectors/kinds.py)")
        object.__setattr__(self, "reason", WaitReason(self.reason))
