"""What the engine asks of a payroll source: the PayrollSource protocol (as paperless' ParserProtocol).

A source is one folder under integrations/ with a class implementing this protocol, registered in
portal/sources/registry.py. The engine (portal/imports), the scheduler (portal/scheduling.py), the
screens and the management commands only talk to sources through it; none of them names a vendor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol, runtime_checkable

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument
from connectors.errors import SourceError

if TYPE_CHECKING:  # the models import the registry (choices); this module needs them for types only
    from portal.effective import EffectiveSettings
    from portal.forms.parts import AdministrationFormPart
    from portal.models import Administration, ImportSettings

Plan = dict[DocumentKind, tuple[Period, ...]]


class SourceUnavailable(SourceError):
    """The source could not deliver at all (not connected, rights, outage). The message is for the
    bookkeeper, already in the user's language."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient

    @property
    def user_message(self) -> str:
        return self.message


class NotYetAvailable(SourceUnavailable):
    """Nothing to fetch yet, and rightly so: the documents come once something happens at the source (the
    year is closed and its final run locked). Not a failure: the run is skipped, no one is alarmed."""


@dataclass
class Fetched:
    """What a fetch delivered; what it shows but is not bookable yet (`waiting`: the ledger records
    them, with why and the vendor's status text); and what it could not fetch (in words)."""

    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    waiting: list[WaitingDocument] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    """When a scheduled import is due: `key` makes the slot run once per administration (ImportRun's
    unique constraint), `day` is the day whose documents it imports."""

    key: str
    day: date


class EmployerId(NamedTuple):
    """How a source identifies an employer its access may reach (portal/sources/shared_access.py):
    e.g. a client number and loonheffingennummer, or a company ID (no second part)."""

    number: str
    wage_tax_number: str = ""


class PortalDefault(NamedTuple):
    """A setting an administration takes from the portal unless it has its own (portal.effective): while
    `uses_portal(administration)` is true, `portal(portal_settings)` applies, else `own(administration)`.
    The three read the source's own models (its link per administration, its portal-wide access).
    EffectiveSettings shows it as `<name>` and `<name>_origin`."""

    name: str
    uses_portal: Callable[[Any], bool]
    own: Callable[[Any], Any]
    portal: Callable[[Any], Any]


class CheckLine(NamedTuple):
    """One line of check_connections: what was checked, whether it works, and why not."""

    name: str
    ok: bool
    message: str


class Finding(NamedTuple):
    """One line of a deep check: `level` "ok", "warning" or "error"; `call` what was asked of the source
    (a path or an operation); `message` in the user's language."""

    level: str
    call: str
    message: str


@dataclass
class DeepReport:
    """What a deep check found, and the redacted answers (file name -> bytes) for `--sample`."""

    findings: list[Finding] = field(default_factory=list)
    samples: dict[str, bytes] = field(default_factory=dict)

    def add(self, level: str, call: str, message: str) -> None:
        self.findings.append(Finding(level, call, message))

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


@runtime_checkable
class FetchSession(Protocol):
    """An open connection to a source for one plan (a client, a looked-up employer), closed after it."""

    def fetch(self, period: Period, kinds: list[DocumentKind]) -> list[SourceDocument] | Fetched:
        """The documents of these kinds in this period. Raises SourceError (or SourceUnavailable).
        Every document the source shows that is not bookable now (status not final or unknown, an
        unreadable answer, not selected by the settings) goes in Fetched.waiting: never dropped."""

    def close(self) -> None: ...


@runtime_checkable
class PayrollSource(Protocol):
    """What the engine (portal/imports), the scheduler and the shared-access rule ask of a source: the
    small protocol. Everything the screens and the commands ask besides is in SourceBase, with defaults."""

    key: str  # stored in Administration.source, ImportRun.source and LedgerEntry.source: never change it
    label: str  # the choice's label, e.g. the product's name
    name: str  # short, in messages: "<name>, payslips 2026-11: ..."
    # The kinds it delivers; scheduled imports take the ones the import settings select.
    document_kinds: tuple[DocumentKind, ...]
    # Kinds only fetched when a person asks for them (a bulk action), never by the schedule.
    on_request_kinds: tuple[DocumentKind, ...]

    def slot(self, import_settings: ImportSettings, now: datetime) -> Slot | None:
        """The scheduling rule: the slot due at `now`, or None when nothing is due."""

    def blocking_reason(self, effective: EffectiveSettings) -> str:
        """Why this administration's source cannot be used now, in words ('' when it can)."""

    def connection_state(self, effective: EffectiveSettings) -> dict:
        """{'ok': bool, 'label': text, 'origin': 'portal'|'administration'} for the dashboard."""

    def employer_of(self, administration: Administration) -> EmployerId | None:
        """The employer this administration fetches for, as an assignment names it; None while none is set."""

    def uses_shared_access(self, administration: Administration) -> bool:
        """Whether it uses the portal's shared access (which sees every employer of the firm, so
        portal/sources/shared_access.py limits it to the domain's assigned employers)."""

    def prepare(self, effective: EffectiveSettings) -> str:
        """Called before each import's fetch (e.g. to link a company by number): '' or why it cannot go on."""

    def open(self, effective: EffectiveSettings, plan: Plan) -> FetchSession:
        """A session to fetch the plan with. Raises SourceUnavailable when the source cannot be used."""


class SourceBase:
    """A payroll source's class starts from this one (as paperless' parser base classes): it implements the
    engine's protocol (PayrollSource) and overrides from here only what differs. The defaults are those of
    a source without screens of its own, shared access, or extra settings."""

    on_request_kinds: tuple[DocumentKind, ...] = ()
    # Optional screens (templates found through the source's app): '' when there is none.
    administration_fields_template = ""  # rows in the administration page's summary (<dt>/<dd>)
    administration_template = ""  # a card on the administration page
    portal_settings_template = ""  # a card on the portal settings page
    domain_actions_template = ""  # buttons on a domain's page, shown when it has such administrations
    # On the annual documents page (a source with ANNUAL_DOCUMENT in on_request_kinds): its explanation
    # (part "intro") and its administrations' table (part "table", gets `administrations`).
    annual_documents_template = ""
    # Its share of the administration form (fields, cards, sub-forms), or None.
    administration_form: AdministrationFormPart | None = None
    # The settings an administration takes from the portal unless it has its own (its access).
    portal_defaults: tuple[PortalDefault, ...] = ()
    # The simulator under sandbox/ that stands in for it in sandbox mode ('' for none): the banner names it.
    sandbox = ""
    urls = ""  # the module with the source's URLconf ('' for none), mounted under /<key>/
    # The Administration relations its models hang on (its link), loaded with the administrations
    # (select_related), e.g. "<key>_link" and "<key>_link__own_connection".
    administration_relations: tuple[str, ...] = ()
    # The same for the PortalSettings row (PortalSettings.load): its shared access, e.g.
    # "<key>_access__connection", and its options on the portal's import settings.
    portal_relations: tuple[str, ...] = ()
    # The administration form's switch for the portal's shared access ('' when the source has none).
    shared_access_switch = ""
    # Its options on the import settings (a model of its own app with a one-to-one `import_settings` to
    # portal.ImportSettings and the tuple EDITABLE), shown on the import settings forms; or None.
    import_options: ClassVar[type | None] = None

    def uses_shared_access(self, administration) -> bool:
        return False

    def check_connection(self, effective: EffectiveSettings) -> list[CheckLine]:
        """Try the connection for check_connections (calls the source). Default: the connection state."""
        state = self.connection_state(effective)
        return [CheckLine(self.name, bool(state["ok"]), str(state["label"]))]

    def deep_check(self, effective: EffectiveSettings, period: Period) -> DeepReport:
        """check_connections --deep: every read call the import makes for `period`, each answer compared
        with the shape the code expects (missing or unexpected fields, unknown statuses, empty lists,
        ids that do not resolve). Books nothing, writes nothing at the source. Default: the check above."""
        report = DeepReport()
        for line in self.check_connection(effective):
            report.add("ok" if line.ok else "error", line.name, line.message)
        return report

    def validate_administration(self, administration: Administration) -> dict[str, str]:
        """Fields this source needs on an administration that are missing: {field: message}."""
        return {}

    def employer_id(self, number: str, wage_tax_number: str) -> EmployerId:
        """An employer as a portal administrator typed it, normalised. Raises ValidationError({field: message})."""
        return EmployerId(str(number or "").strip(), str(wage_tax_number or "").strip())

    def employer_fields(self, employer: EmployerId) -> dict[str, Any]:
        """The Administration fields that make it fetch for `employer` when a domain user picks it on the
        administration form ({}: the source links its employer on a page of its own)."""
        return {}

    def shared_employers(self, portal) -> tuple[list[tuple[EmployerId, str]], str]:
        """The employers the portal's shared access sees, with their names, for the assignment screen
        (calls the source); and why they could not be listed ('' when they could). ([], ''): not offered."""
        return [], ""

    def booked(self, entry, yuki_reference: str) -> None:
        """After a push booked `entry` in Yuki: the source's follow-up, if any (e.g. settling an older row of
        another source that the document took over). Called once the booking is stored; nothing by default."""

    def prepare(self, effective: EffectiveSettings) -> str:
        return ""

    # The portal settings page (only asked when portal_settings_template is set).
    def portal_settings_context(self, portal) -> dict:
        """Variables its card reads (named after the source, they share the page's context)."""
        return {}

    def portal_settings_form(self, portal, data) -> Any:
        """Its settings form, bound to `data` when its card was submitted (section=<key>); or None."""
        return None

    def save_portal_settings(self, user, portal, form) -> str:
        """Save a valid form (audited); the message to show."""
        raise NotImplementedError(f"{self.name} has no portal settings form")
