"""Typed Nmbrs errors, and the one place where Nmbrs fault texts are read.

Nmbrs reports errors as SOAP faults whose faultstring ends in `---> <code>: <message>`. Every code
Nmbrs documents is in FAULT_CODES below, as permanent or transient, with what it means in English
and in Dutch (the sources are in docs/vendors/nmbrs.md). A code not in the table (or 9999, Nmbrs's
own "unknown error") is an UnknownNmbrsError: the client tries the call a bounded number of times,
then it is permanent, never retried forever.
docs/vendors/nmbrs.md gives the words the user must see ("Tenant Key niet gevonden", the user template and
"Webservices Right Edit" rights, "SalaryDocuments_AnnualDocument"). Every error carries an English
`message` (logs: what failed, what to do) and a `user_message` for the bookkeeper, through gettext like
every other text of the portal (English msgid, Dutch in locale/nl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.errors import SourceError
from connectors.texts import gettext, gettext_noop
from connectors.texts import gettext_lazy as _

ANNUAL_DOCUMENT_RIGHTS_PREFIX = "SalaryDocuments_AnnualDocument"
_FAULT = re.compile(r"--->\s*(?P<code>\d{3,5})\s*:\s*(?P<message>.*)", re.DOTALL)
_MENTIONS_DOMAIN = re.compile(r"\bdomain\b|\bdomein\b|\btenant\b", re.IGNORECASE)


class NmbrsError(SourceError):
    """Base of every Nmbrs failure. `transient` errors may succeed when retried later."""

    code: int | None = None
    vendor_code: int | None = None
    transient = False
    user_message = _("Nmbrs returned an unknown error. Try again later; if it keeps failing, contact the administrator.")

    def __init__(self, message: str, *, fault_text: str = "", operation: str = ""):
        super().__init__(message)
        self.fault_text = fault_text
        self.operation = operation


class InvalidCredentials(NmbrsError):
    code = 1001
    user_message = _("Nmbrs does not recognise the combination of Client ID, Client Secret and Tenant Key. Check "
                     "the e-mail address you log in to Nmbrs with, the API token (User profile > API token) and "
                     "the Tenant Key (the part before .nmbrs.nl in the URL).")


class UnknownTenant(NmbrsError):
    code = 2043
    user_message = _("Tenant Key not found. Check that the Tenant Key is filled in correctly: it is the part "
                     "before .nmbrs.nl in the URL of your Nmbrs account (from kantoor.nmbrs.nl you take "
                     "kantoor).")


class MissingApiRights(NmbrsError):
    """1002: the user template lacks the API right of `operation` (named in both messages, so the
    bookkeeper knows which right to switch on under "Webservices Right Edit")."""

    code = 1002

    def __init__(self, message: str, *, service: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.service = service

    @property
    def needs_annual_document_rights(self) -> bool:
        return self.operation.startswith(ANNUAL_DOCUMENT_RIGHTS_PREFIX)

    @property
    def user_message(self) -> str:
        params = {"operation": self.operation, "prefix": ANNUAL_DOCUMENT_RIGHTS_PREFIX,
                  "group": _RIGHTS_GROUP.get(self.service, "")}
        if self.needs_annual_document_rights:
            return gettext(
                'The Nmbrs user may not fetch the annual documents (refused: "%(operation)s"). In Nmbrs go to '
                'Settings > User templates, select the template of this user, click the gears in the API '
                'column and, in the screen "Webservices Right Edit", under Company services set every right '
                'starting with "%(prefix)s" to Active.') % params
        if self.operation and params["group"]:
            return gettext(
                'The Nmbrs user has no API right for "%(operation)s". In Nmbrs go to Settings > User '
                'templates, select the template of this user, click the gears in the API column and, in the '
                'screen "Webservices Right Edit", under %(group)s set the right "%(operation)s" to Active.') % params
        if self.operation:
            return gettext(
                'The Nmbrs user has no API right for "%(operation)s". In Nmbrs go to Settings > User '
                'templates, select the template of this user, click the gears in the API column and, in the '
                'screen "Webservices Right Edit", set the right "%(operation)s" to Active.') % params
        return gettext(
            'The Nmbrs user has insufficient API rights. In Nmbrs go to Settings > User templates, select the '
            'template of this user, click the gears in the API column and, in the screen "Webservices Right '
            'Edit", set the rights needed to Active.')


# How the "Webservices Right Edit" screen groups the rights, by the SOAP service of the operation.
_RIGHTS_GROUP = {"CompanyService": "Company services", "DebtorService": "Debtor services",
                 "EmployeeService": "Employee services"}


class NoCompanyAccess(NmbrsError):
    code = 1003
    user_message = _("The Nmbrs user has no access to this company or debtor. Give the user access in Nmbrs, or "
                     "link another company.")


class LoginTemporarilyFailed(NmbrsError):
    code = 1006
    transient = True
    user_message = _("Logging in to Nmbrs failed for the moment. We will try again automatically.")


class NotFound(NmbrsError):
    code = 2046
    user_message = _("Nmbrs cannot find the requested data (any more). Check the link to the company.")


class DocumentedNmbrsError(NmbrsError):
    """A documented code without a class of its own: text and kind come from FAULT_CODES."""

    def __init__(self, message: str, *, rule: FaultCode, **kwargs):
        super().__init__(message, **kwargs)
        self.code = rule.code
        self.transient = rule.transient
        self.rule = rule

    @property
    def user_message(self) -> str:
        text = gettext(self.rule.text)
        return f"{text} {_CHECK_INPUT}" if self.rule.fetching_never_causes else text


class UnknownNmbrsError(NmbrsError):
    """9999 and any code we do not know. Permanent: the client has already tried the call a bounded
    number of times (NmbrsClient.attempts_on_unknown) before this reaches anyone."""

    transient = False
    user_message = _("Nmbrs gave an unknown error, even after several tries. The documents wait; contact the "
                     "administrator if this keeps happening.")


class NmbrsUnavailable(NmbrsError):
    """No usable answer: connection refused or lost, timeout, HTTP 5xx/429 without a SOAP fault."""

    transient = True
    user_message = _("Nmbrs cannot be reached at the moment. We will try again automatically later.")


class NmbrsBadResponse(NmbrsError):
    """Nmbrs answered something that is not the XML it promised (malformed or unexpected content)."""

    transient = True
    user_message = _("Nmbrs sent an unreadable answer. We will try again automatically later.")


@dataclass(frozen=True)
class FaultCode:
    code: int
    transient: bool
    text: str  # what it means, for the bookkeeper (English msgid; the Dutch is in locale/nl)
    fetching_never_causes: bool = False  # a write-only code: if it ever shows, the administrator must look


# The table's texts are marked with gettext_noop (so makemessages finds them) and translated when shown.
_CHECK_INPUT = _("This should not happen when fetching; contact the administrator.")
_P, _T = False, True  # permanent, transient

# Every fault code the public Nmbrs material documents (docs/vendors/nmbrs.md). The 2xxx codes that
# only write operations can cause are listed too, so that none of them is ever "unknown".
FAULT_CODES: dict[int, FaultCode] = {rule.code: rule for rule in (
    FaultCode(1000, _P, gettext_noop("Nmbrs rejected the e-mail/password combination.")),
    FaultCode(1001, _P, gettext_noop("Nmbrs rejected the authentication: the login e-mail, the API token or the domain "
              "(Tenant Key) is not valid.")),
    FaultCode(1002, _P, gettext_noop("The Nmbrs user lacks the API right for this operation.")),
    FaultCode(1003, _P, gettext_noop("The Nmbrs user has no access to this debtor or company (access by tags/filters).")),
    FaultCode(1004, _P, gettext_noop("The Nmbrs environment is disabled: it has no valid subscription.")),
    FaultCode(1006, _T, gettext_noop("Nmbrs reported a generic login security failure; retrying tends to solve it.")),
    FaultCode(2001, _P, gettext_noop("Nmbrs refused an hour component number."), fetching_never_causes=True),
    FaultCode(2002, _P, gettext_noop("Nmbrs refused a wage component number."), fetching_never_causes=True),
    FaultCode(2003, _P, gettext_noop("The Nmbrs user has no rights to this employee.")),
    FaultCode(2004, _P, gettext_noop("The Nmbrs user has no rights to this company; check the linked company.")),
    FaultCode(2006, _P, gettext_noop("The period does not fit the company's period type in Nmbrs (e.g. four-weekly "
              "instead of monthly).")),
    FaultCode(2009, _P, gettext_noop("The Nmbrs user has no rights to this debtor.")),
    FaultCode(2011, _P, gettext_noop("Nmbrs refused a change in the past without unprotected mode."), fetching_never_causes=True),
    FaultCode(2012, _P, gettext_noop("The wage tax return was already sent.")),
    FaultCode(2013, _P, gettext_noop("This operation is not available on a Nmbrs free trial.")),
    FaultCode(2014, _P, gettext_noop("Nmbrs refused an IBAN."), fetching_never_causes=True),
    FaultCode(2015, _P, gettext_noop("Nmbrs refused a bank account number."), fetching_never_causes=True),
    FaultCode(2016, _P, gettext_noop("Nmbrs refused a bank account type."), fetching_never_causes=True),
    FaultCode(2017, _P, gettext_noop("Nmbrs refused a labour agreement ID."), fetching_never_causes=True),
    FaultCode(2018, _P, gettext_noop("Nmbrs refused a leave ID."), fetching_never_causes=True),
    FaultCode(2019, _T, gettext_noop("Nmbrs has no status for the background task (yet).")),
    FaultCode(2020, _T, gettext_noop("Nmbrs has no status for the background task (yet).")),
    FaultCode(2021, _P, gettext_noop("Nmbrs's background task result is not valid."), fetching_never_causes=True),
    FaultCode(2022, _P, gettext_noop("Nmbrs refused a leave type."), fetching_never_causes=True),
    FaultCode(2028, _P, gettext_noop("A start time lies after its end time."), fetching_never_causes=True),
    FaultCode(2029, _P, gettext_noop("Time slots overlap."), fetching_never_causes=True),
    FaultCode(2030, _P, gettext_noop("Nmbrs refused the set of values."), fetching_never_causes=True),
    FaultCode(2032, _P, gettext_noop("An IBAN is required."), fetching_never_causes=True),
    FaultCode(2033, _P, gettext_noop("A tax type is required."), fetching_never_causes=True),
    FaultCode(2034, _P, gettext_noop("Nmbrs refused a tax type."), fetching_never_causes=True),
    FaultCode(2035, _P, gettext_noop("A tax form is required."), fetching_never_causes=True),
    FaultCode(2036, _P, gettext_noop("Nmbrs refused a tax form."), fetching_never_causes=True),
    FaultCode(2037, _P, gettext_noop("Nmbrs refused a cost centre ID."), fetching_never_causes=True),
    FaultCode(2038, _P, gettext_noop("Nmbrs refused a cost centre code."), fetching_never_causes=True),
    FaultCode(2039, _P, gettext_noop("A cost centre code is duplicated."), fetching_never_causes=True),
    FaultCode(2040, _P, gettext_noop("A file name needs an extension."), fetching_never_causes=True),
    FaultCode(2041, _P, gettext_noop("The file is too large."), fetching_never_causes=True),
    FaultCode(2042, _P, gettext_noop("This login e-mail belongs to several Nmbrs environments; Nmbrs needs the domain "
              "(Tenant Key) to know which one.")),
    FaultCode(2043, _P, gettext_noop("Nmbrs does not know this domain (Tenant Key).")),
    FaultCode(2044, _P, gettext_noop("Nmbrs refused the endpoint."), fetching_never_causes=True),
    FaultCode(2045, _P, gettext_noop("Nmbrs refused a name."), fetching_never_causes=True),
    FaultCode(2046, _P, gettext_noop("Nmbrs did not find what was asked for.")),
    FaultCode(2047, _P, gettext_noop("Nmbrs refused a document type."), fetching_never_causes=True),
)}


def _message_for(code: int, vendor_text: str, operation: str) -> tuple[type[NmbrsError], str]:
    said = f'Nmbrs said: "{code}: {vendor_text}".'
    if code == 1001 and _MENTIONS_DOMAIN.search(vendor_text):
        code = 2043  # a 1001 naming the domain is an unknown tenant key, not a wrong token
    if code == 1001:
        return InvalidCredentials, (
            f"Nmbrs rejected the login e-mail (Client ID) or API token (Client Secret). Check both; a token "
            f"is regenerated under User profile > API token in Nmbrs. Nmbrs gives the same answer for a wrong "
            f"Tenant Key, so check that too. {said}")
    if code == 2043:
        return UnknownTenant, (
            f"Nmbrs does not know this Tenant Key. It is the part before .nmbrs.nl in your Nmbrs URL "
            f"(from kantoor.nmbrs.nl it is 'kantoor'). {said}")
    if code == 1002:
        if operation.startswith(ANNUAL_DOCUMENT_RIGHTS_PREFIX):
            what = ('under Company services, set every right starting with "SalaryDocuments_AnnualDocument" '
                    'to Active')
        else:
            what = f'set the right for {operation or "this operation"} to Active'
        return MissingApiRights, (
            f"The Nmbrs user lacks API rights for {operation or 'this call'}. In Nmbrs go to Settings > User "
            f"templates, select the template of this user, click the gears in the API column and, in "
            f'"Webservices Right Edit", {what}. {said}')
    if code in (1003, 2004, 2009):
        return NoCompanyAccess, (
            f"The Nmbrs user has no access to this company or debtor. Grant access in Nmbrs or link "
            f"another company. {said}")
    if code == 1006:
        return LoginTemporarilyFailed, f"Nmbrs could not log in right now (temporary); retry later. {said}"
    if code == 2046:
        return NotFound, f"Nmbrs did not find what {operation or 'the call'} asked for. {said}"
    if code in FAULT_CODES:
        return DocumentedNmbrsError, f"{FAULT_CODES[code].text} ({operation or 'a call'}) {said}"
    return UnknownNmbrsError, f"Nmbrs failed with an unknown error during {operation or 'a call'}. {said}"


def parse_fault(fault_text: str, operation: str = "", service: str = "") -> NmbrsError:
    """A SOAP faultstring -> the typed error. Texts without a `---> code:` part are unknown errors.
    `service` (e.g. "CompanyService") lets a 1002 say where the missing right is listed."""
    match = _FAULT.search(fault_text or "")
    if not match:
        return UnknownNmbrsError(
            f"Nmbrs failed during {operation or 'a call'} without an error code: {fault_text!r}",
            fault_text=fault_text, operation=operation)
    code = int(match.group("code"))
    vendor_text = match.group("message").strip()
    cls, message = _message_for(code, vendor_text, operation)
    extra = {"service": service} if cls is MissingApiRights else \
        {"rule": FAULT_CODES[code]} if cls is DocumentedNmbrsError else {}
    error = cls(message, fault_text=fault_text, operation=operation, **extra)
    error.vendor_code = code  # what Nmbrs said; `code` is what we understood (a 1001 naming the domain -> 2043)
    if cls is UnknownNmbrsError:
        error.code = code
    if cls is NoCompanyAccess and code != NoCompanyAccess.code:
        error.code, error.user_message = code, _(FAULT_CODES[code].text)  # 2004/2009: their own words
    return error


class UnusableJournal(NmbrsError):
    """A journal Nmbrs delivered that cannot be booked as is (unbalanced, no lines, unreadable amounts or
    dates). Not transient: the payroll administrator has to look at the run's journal in Nmbrs."""

    user_message = _("The journal entry from Nmbrs cannot be booked (it does not balance, is empty or holds an "
                     "unreadable amount or date). Check the journal entry of this payroll run in Nmbrs.")


class UnreadableJournalLayout(UnusableJournal):
    """The journal's XML is not the layout the reader knows (docs/vendors/nmbrs.md, "Journals"): not
    Nmbrs' fault to fix in a run, so the message points at the deep check, not at the run. The next
    import tries again, so once the portal reads the layout the run's journal is booked."""

    user_message = _("The journal entry from Nmbrs has a layout the portal does not read, so it is not booked yet. "
                     "Run the deep check of this administration and pass its report to the portal's "
                     "administrator.")
