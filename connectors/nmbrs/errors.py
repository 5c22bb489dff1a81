"""Typed Nmbrs errors, and the one place where Nmbrs fault texts are read.

Nmbrs reports errors as SOAP faults whose faultstring ends in `---> <code>: <message>` (docs/vendors/nmbrs.md,
Nmbrs): 1001 invalid authentication, 1002 no API rights, 1003 no access to the debtor/company,
1006 transient login failure, 2043 invalid domain, 2046 not found, 9999 unknown.
docs/vendors/nmbrs.md gives the words the user must see ("Tenant Key niet gevonden", the user template and
"Webservices Right Edit" rights, "SalaryDocuments_AnnualDocument"). Every error carries an English
`message` (what failed, what to do) and the Dutch `user_message_nl` for the portal.
"""

from __future__ import annotations

import re

from connectors.errors import SourceError

ANNUAL_DOCUMENT_RIGHTS_PREFIX = "SalaryDocuments_AnnualDocument"
_FAULT = re.compile(r"--->\s*(?P<code>\d{3,5})\s*:\s*(?P<message>.*)", re.DOTALL)
_MENTIONS_DOMAIN = re.compile(r"\bdomain\b|\bdomein\b|\btenant\b", re.IGNORECASE)


class NmbrsError(SourceError):
    """Base of every Nmbrs failure. `transient` errors may succeed when retried later."""

    code: int | None = None
    vendor_code: int | None = None
    transient = False
    user_message_nl = "Nmbrs gaf een onbekende fout. Probeer het later opnieuw; blijft het misgaan, neem dan contact op met de beheerder."

    def __init__(self, message: str, *, fault_text: str = "", operation: str = ""):
        super().__init__(message)
        self.fault_text = fault_text
        self.operation = operation


class InvalidCredentials(NmbrsError):
    code = 1001
    user_message_nl = ("Nmbrs herkent de combinatie van Client ID en Client Secret niet. Controleer het "
                       "e-mailadres waarmee je inlogt in Nmbrs en de API-token (Gebruiker profiel > API token).")


class UnknownTenant(NmbrsError):
    code = 2043
    user_message_nl = ("Tenant Key niet gevonden. Controleer of de Tenant Key correct is ingevuld: dit is het "
                       "gedeelte vóór .nmbrs.nl in de URL van je Nmbrs-account (uit kantoor.nmbrs.nl haal je "
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
    def user_message_nl(self) -> str:
        where = ("Ga in Nmbrs naar Instellingen > User templates, selecteer het template van deze gebruiker, klik "
                 "op de tandwieltjes in de kolom API en zet in het scherm \"Webservices Right Edit\"")
        if self.needs_annual_document_rights:
            return (f"De Nmbrs-gebruiker mag het jaarwerk niet ophalen (geweigerd: \"{self.operation}\"). {where} "
                    f"onder Company services alle rechten die beginnen met \"{ANNUAL_DOCUMENT_RIGHTS_PREFIX}\" op "
                    "Actief.")
        if self.operation:
            group = _RIGHTS_GROUP.get(self.service, "")
            under = f" onder {group}" if group else ""
            return (f"De Nmbrs-gebruiker heeft geen API-recht voor \"{self.operation}\". {where}{under} het recht "
                    f"\"{self.operation}\" op Actief.")
        return f"De Nmbrs-gebruiker heeft onvoldoende API-rechten. {where} de benodigde rechten op Actief."


# How the "Webservices Right Edit" screen groups the rights, by the SOAP service of the operation.
_RIGHTS_GROUP = {"CompanyService": "Company services", "DebtorService": "Debtor services",
                 "EmployeeService": "Employee services"}


class NoCompanyAccess(NmbrsError):
    code = 1003
    user_message_nl = ("De Nmbrs-gebruiker heeft geen toegang tot dit bedrijf of deze debiteur. Geef de "
                       "gebruiker in Nmbrs toegang, of koppel een ander bedrijf.")


class LoginTemporarilyFailed(NmbrsError):
    code = 1006
    transient = True
    user_message_nl = "Inloggen bij Nmbrs lukte tijdelijk niet. We proberen het automatisch opnieuw."


class NotFound(NmbrsError):
    code = 2046
    user_message_nl = "Nmbrs kan het gevraagde gegeven niet (meer) vinden. Controleer de koppeling van het bedrijf."


class UnknownNmbrsError(NmbrsError):
    """9999 and any code we do not know."""

    transient = True


class NmbrsUnavailable(NmbrsError):
    """No usable answer: connection refused or lost, timeout, HTTP 5xx/429 without a SOAP fault."""

    transient = True
    user_message_nl = "Nmbrs is op dit moment niet bereikbaar. We proberen het later automatisch opnieuw."


class NmbrsBadResponse(NmbrsError):
    """Nmbrs answered something that is not the XML it promised (malformed or unexpected content)."""

    transient = True
    user_message_nl = "Nmbrs stuurde een onleesbaar antwoord. We proberen het later automatisch opnieuw."


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

    user_message_nl = ("De journaalpost uit Nmbrs is niet te boeken (hij sluit niet of is leeg). Controleer de "
                       "journaalpost van deze verloning in Nmbrs.")
