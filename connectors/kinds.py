"""Document kinds, registered once: what the engine, the scheduler, the booking and the screens need to
know of each kind, in one entry.

Per kind: where it goes in Yuki (an archive folder, a journal, the petty cash service) and the short
code in its Yuki reference; how the ledger tells a corrected file from one merely generated anew (its
fingerprint of meaning, connectors.fingerprints); which payroll months a scheduled import fetches (its
window) and the import setting that selects it; and its words for people (its name, "n ... wait", "n ...
still need to be checked"). The ledger, booking, waiting, the run's summary, the scheduler and the
screens read these entries (`get`, `all_kinds`) and name no kind themselves.

A new kind is one `Kind` in `BUILT_IN` below (and its key in `DocumentKind`, the name sources use for
it); a test registers one of its own with `register` (tests/engine/test_document_kinds.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from connectors import fingerprints
from connectors.texts import LazyPlural, LazyText, gettext_lazy, ngettext_lazy
from yuki_client.archive import ArchiveFolder


class DocumentKind(StrEnum):
    """The built-in kinds by name (the ledger stores the value); each has its entry in BUILT_IN."""

    PAYSLIP = "payslip"
    JOURNAL = "journal"
    WAGE_TAX_RETURN = "wage_tax_return"
    SEPA = "sepa"
    ANNUAL_DOCUMENT = "annual_document"
    # A petty cash statement entered in the portal (not from a payroll source): booked through Yuki's
    # PettyCash service (docs/vendors/yuki.md, "Petty cash"), in the same ledger as payroll documents.
    PETTY_CASH = "petty_cash"


class Target(StrEnum):
    """How a kind is booked in Yuki."""

    ARCHIVE = "archive"  # a file uploaded to an archive folder (UploadDocument)
    JOURNAL = "journal"  # journal lines (ProcessJournal)
    PETTY_CASH = "petty_cash"  # a statement through the PettyCash service


class Window(StrEnum):
    """Which payroll months a scheduled import fetches of a kind, for the day it runs."""

    CURRENT = "current"  # the current month
    PREVIOUS_AND_CURRENT = "previous_and_current"  # also last month: a return is filed after its month
    ON_REQUEST = "on_request"  # never scheduled: fetched when a person asks, or entered in the portal

    def periods(self, day: date) -> tuple[tuple[int, int], ...]:
        """(year, month) of each month the window holds on `day`, oldest first."""
        previous = day.replace(day=1) - timedelta(days=1)
        return {Window.CURRENT: ((day.year, day.month),),
                Window.PREVIOUS_AND_CURRENT: ((previous.year, previous.month), (day.year, day.month)),
                Window.ON_REQUEST: ()}[self]


@dataclass(frozen=True)
class Kind:
    key: str  # what the ledger stores (LedgerEntry.kind, at most 20 characters)
    label: LazyText  # its name on the screens: "Payslip"
    waits: LazyPlural  # "%(n)s payslip waits" / "%(n)s payslips wait" (the run page, at the source)
    held: LazyPlural  # "%(n)s payslip still needs to be checked" (a run's result)
    reference_prefix: str  # the short code in its Yuki reference: "[ps-1a2b3c4d5e]" (portal/imports/booking.py)
    target: Target
    folder: ArchiveFolder = ArchiveFolder.TO_BE_SORTED  # where an ARCHIVE kind goes (docs/vendors/yuki.md)
    # What a file of this kind says (connectors.fingerprints); None: compared by its bytes (a journal: its lines).
    facts: Callable[[bytes], dict] | None = None
    window: Window = Window.ON_REQUEST
    # The import setting (a field of portal.models.ImportSettings) that selects it for a scheduled import;
    # "" for a kind a source's import always takes when it offers it.
    setting: str = ""

    def __post_init__(self):
        if not self.key or len(self.key) > 20:
            raise ValueError(f"a kind's key is 1 to 20 characters: {self.key!r}")


BUILT_IN = (
    Kind(DocumentKind.PAYSLIP, gettext_lazy("Payslip"),
         ngettext_lazy("%(n)s payslip waits", "%(n)s payslips wait", "n"),
         ngettext_lazy("%(n)s payslip still needs to be checked", "%(n)s payslips still need to be checked", "n"),
         "ps", Target.ARCHIVE, ArchiveFolder.PERSONNEL, fingerprints.pdf_facts, Window.CURRENT, "import_payslips"),
    Kind(DocumentKind.JOURNAL, gettext_lazy("Journal entry"),
         ngettext_lazy("%(n)s journal entry waits", "%(n)s journal entries wait", "n"),
         ngettext_lazy("%(n)s journal entry still needs to be checked",
                       "%(n)s journal entries still need to be checked", "n"),
         "jr", Target.JOURNAL, window=Window.CURRENT, setting="import_journals"),
    # A return is filed after its month: the previous month's is fetched too.
    Kind(DocumentKind.WAGE_TAX_RETURN, gettext_lazy("Wage tax return"),
         ngettext_lazy("%(n)s wage tax return waits", "%(n)s wage tax returns wait", "n"),
         ngettext_lazy("%(n)s wage tax return still needs to be checked",
                       "%(n)s wage tax returns still need to be checked", "n"),
         "lh", Target.ARCHIVE, ArchiveFolder.TAX, fingerprints.wage_tax_return_facts, Window.PREVIOUS_AND_CURRENT,
         "import_wage_tax_returns"),
    Kind(DocumentKind.SEPA, gettext_lazy("SEPA file"),
         ngettext_lazy("%(n)s SEPA file waits", "%(n)s SEPA files wait", "n"),
         ngettext_lazy("%(n)s SEPA file still needs to be checked", "%(n)s SEPA files still need to be checked", "n"),
         "sp", Target.ARCHIVE, ArchiveFolder.BANK, fingerprints.sepa_facts, Window.CURRENT, "import_sepa_files"),
    # Jaaropgaven and the like: fetched for a year when a person asks (the annual documents page).
    Kind(DocumentKind.ANNUAL_DOCUMENT, gettext_lazy("Annual document"),
         ngettext_lazy("%(n)s annual document waits", "%(n)s annual documents wait", "n"),
         ngettext_lazy("%(n)s annual document still needs to be checked",
                       "%(n)s annual documents still need to be checked", "n"),
         "jw", Target.ARCHIVE, ArchiveFolder.PERSONNEL, fingerprints.pdf_facts),
    Kind(DocumentKind.PETTY_CASH, gettext_lazy("Petty cash statement"),
         ngettext_lazy("%(n)s petty cash statement waits", "%(n)s petty cash statements wait", "n"),
         ngettext_lazy("%(n)s petty cash statement still needs to be checked",
                       "%(n)s petty cash statements still need to be checked", "n"),
         "ks", Target.PETTY_CASH),
)

_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"the document kind {kind.key!r} is registered already")
    _KINDS[str(kind.key)] = kind
    return kind


def unregister(key: str) -> None:
    if key in DocumentKind.__members__.values():
        raise ValueError(f"{key!r} is a built-in kind")
    _KINDS.pop(key, None)


def get(key: str) -> Kind:
    """The kind registered under `key` (KeyError: none is)."""
    return _KINDS[str(key)]


def is_registered(key: str) -> bool:
    return str(key) in _KINDS


def all_kinds() -> Iterator[Kind]:
    """Every registered kind, the built-in ones first, in their order."""
    return iter(tuple(_KINDS.values()))


def file_fingerprint(key: str, content: bytes) -> fingerprints.Fingerprint:
    """What a file of this kind says, as one digest (connectors.fingerprints): the ledger's way to tell a
    corrected file from one generated anew. A kind without a fingerprint of meaning: its bytes."""
    kind = _KINDS.get(str(key))
    return fingerprints.of_file(kind.facts if kind else None, content, what=str(key))


def named(key: str) -> str:
    """The key as the sources name it: the DocumentKind member of a built-in kind (a source may compare
    with `is`), the registered key of another; KeyError for a kind no one registered."""
    try:
        return DocumentKind(key)
    except ValueError:
        return get(key).key


def label_of(key: str) -> str:
    """A kind's name in the reader's language; an unknown key (a kind no longer registered) as itself."""
    kind = _KINDS.get(str(key))
    return str(kind.label) if kind else str(key)


for _kind in BUILT_IN:
    register(_kind)
if {str(kind.key) for kind in BUILT_IN} != {member.value for member in DocumentKind}:
    raise RuntimeError("every DocumentKind has its entry in BUILT_IN, and only those")
