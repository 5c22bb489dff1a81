"""Typed Nmbrs errors, and the one place where Nmbrs fault texts are read.

Nmbrs reports errors as SOAP faults whose faultstring ends in `---> <code>: <message>` (FACTS.md,
Nmbrs): 1001 invalid authentication, 1002 no API rights, 1003 no access to the debtor/company,
1006 transient login failure, 2043 invalid domain, 2046 not found, 9999 unknown.
Seed 002 gives the words the user must see ("Tenant Key niet gevonden", the user template and
"Webservices Right Edit" rights, "SalaryDocuments_AnnualDocument"). Every error carries an English
`message` (logs: what failed, what to do) and a `user_message` for the bookkeeper, through gettext like
every other text of the portal (English msgid, Dutch in locale/nl).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ANNUAL_DOCUMENT_RIGHTS_PREFIX = "SalaryDocuments_AnnualDocument"
_FAULT = re.compile(r"--->\s*(?P<code>\d{3,5})\s*:\s*(?P<message>.*)", re.DOTALL)
_MENTIONS_DOMAIN = re.compile(r"\bdomain\b|\bdomein\b|\btenant\b", re.IGNORECASE)


class NmbrsError(Exception):
    """Base of every Nmbrs failure. `transient` errors may succeed when retried later."""

    code: int | None = None
    vendor_code: int | None = None
    transient = False
    user_message = _("Nmbrs returned an unknown error. Try again later; if it keeps failing, contact the administrator.")

    def __init__(self, message: str, *, fault_text: str = "", operation: str = ""):
        super().__init__(message)
        self.message = message
        self.fault_text = fault_text
        self.operation = operation

    def __str__(self) -> str:
        return self.message


class InvalidCredentials(NmbrsError):
    code = 1001
    user_message = _("Nmbrs does not recognise the combination of Client ID and Client Secret. Check the e-mail "
                     "address you log in to Nmbrs with and the API token (User profile > API token).")


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


class UnknownNmbrsError(NmbrsError):
    """9999 and any code we do not know."""

    transient = True


class NmbrsUnavailable(NmbrsError):
    """No usable answer: connection refused or lost, timeout, HTTP 5xx/429 without a SOAP fault."""

    transient = True
    user_message = _("Nmbrs cannot be reached at the moment. We will try again automatically later.")


class NmbrsBadResponse(NmbrsError):
    """Nmbrs answered something that is not the XML it promised (malformed or unexpected content)."""

    transient = True
    user_message = _("Nmbrs sent an unreadable answer. We will try again automatically later.")


def _message_for(code: int, vendor_text: str, operation: str) -> tuple[type[NmbrsError], str]:
    said = f'Nmbrs said: "{code}: {vendor_text}".'
    if code == 1001 and _MENTIONS_DOMAIN.search(vendor_text):
        code = 2043  # a 1001 naming the domain is an unknown tenant key, not a wrong token
    if code == 1001:
        return InvalidCredentials, (
            f"Nmbrs rejected the login e-mail (Client ID) or API token (Client Secret). Check both; a token "
            f"is regenerated under User profile > API token in Nmbrs. {said}")
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
    if code == 1003:
        return NoCompanyAccess, (
            f"The Nmbrs user has no access to this company or debtor. Grant access in Nmbrs or link "
            f"another company. {said}")
    if code == 1006:
        return LoginTemporarilyFailed, f"Nmbrs could not log in right now (temporary); retry later. {said}"
    if code == 2046:
        return NotFound, f"Nmbrs did not find what {operation or 'the call'} asked for. {said}"
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
    extra = {"service": service} if cls is MissingApiRights else {}
    error = cls(message, fault_text=fault_text, operation=operation, **extra)
    error.vendor_code = code  # what Nmbrs said; `code` is what we understood (a 1001 naming the domain -> 2043)
    if cls is UnknownNmbrsError:
        error.code = code
    return error


class UnusableJournal(NmbrsError):
    """A journal Nmbrs delivered that cannot be booked as is (unbalanced, no lines, unreadable amounts).
    Not transient: the payroll administrator has to look at the run's journal settings in Nmbrs."""

    user_message = _("The journal entry from Nmbrs cannot be booked (it does not balance or is empty). Check the "
                     "journal entry of this payroll run in Nmbrs.")
