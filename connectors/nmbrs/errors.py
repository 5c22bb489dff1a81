"""Typed Nmbrs errors, and the one place where Nmbrs fault texts are read.

Nmbrs reports errors as SOAP faults whose faultstring ends in `---> <code>: <message>`. Every code
Nmbrs documents is in FAULT_CODES below, as permanent or transient, with what it means in English
and in Dutch (the sources are in docs/vendors/nmbrs.md). A code not in the table (or 9999, Nmbrs's
own "unknown error") is an UnknownNmbrsError: the client tries the call a bounded number of times,
then it is permanent, never retried forever.
docs/vendors/nmbrs.md gives the words the user must see ("Tenant Key niet gevonden", the user template and
"Webservices Right Edit" rights, "SalaryDocuments_AnnualDocument"). Every error carries an English
`message` (what failed, what to do) and the Dutch `user_message_nl` for the portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    user_message_nl = ("Nmbrs herkent de combinatie van Client ID, Client Secret en Tenant Key niet. Controleer het "
                       "e-mailadres waarmee je inlogt in Nmbrs, de API-token (Gebruiker profiel > API token) en de "
                       "Tenant Key (het gedeelte vóór .nmbrs.nl in de URL).")


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


class DocumentedNmbrsError(NmbrsError):
    """A documented code without a class of its own: text and kind come from FAULT_CODES."""

    def __init__(self, message: str, *, rule: FaultCode, **kwargs):
        super().__init__(message, **kwargs)
        self.code = rule.code
        self.transient = rule.transient
        self.user_message_nl = rule.dutch


class UnknownNmbrsError(NmbrsError):
    """9999 and any code we do not know. Permanent: the client has already tried the call a bounded
    number of times (NmbrsClient.attempts_on_unknown) before this reaches anyone."""

    transient = False
    user_message_nl = ("Nmbrs gaf een onbekende fout, ook na enkele pogingen. De documenten wachten; neem contact "
                       "op met de beheerder als dit blijft gebeuren.")


class NmbrsUnavailable(NmbrsError):
    """No usable answer: connection refused or lost, timeout, HTTP 5xx/429 without a SOAP fault."""

    transient = True
    user_message_nl = "Nmbrs is op dit moment niet bereikbaar. We proberen het later automatisch opnieuw."


class NmbrsBadResponse(NmbrsError):
    """Nmbrs answered something that is not the XML it promised (malformed or unexpected content)."""

    transient = True
    user_message_nl = "Nmbrs stuurde een onleesbaar antwoord. We proberen het later automatisch opnieuw."


@dataclass(frozen=True)
class FaultCode:
    code: int
    transient: bool
    english: str  # what it means and what to do
    dutch: str  # the same for the bookkeeper


_CHECK_INPUT_NL = "Dit hoort niet te gebeuren bij ophalen; neem contact op met de beheerder."
_P, _T = False, True  # permanent, transient

# Every fault code the public Nmbrs material documents (docs/vendors/nmbrs.md). The 2xxx codes that
# only write operations can cause are listed too, so that none of them is ever "unknown".
FAULT_CODES: dict[int, FaultCode] = {rule.code: rule for rule in (
    FaultCode(1000, _P, "Nmbrs rejected the e-mail/password combination.",
              "Nmbrs herkent de combinatie van e-mailadres en wachtwoord niet."),
    FaultCode(1001, _P, "Nmbrs rejected the authentication: the login e-mail, the API token or the domain "
              "(Tenant Key) is not valid.", InvalidCredentials.user_message_nl),
    FaultCode(1002, _P, "The Nmbrs user lacks the API right for this operation.", ""),
    FaultCode(1003, _P, "The Nmbrs user has no access to this debtor or company (access by tags/filters).",
              NoCompanyAccess.user_message_nl),
    FaultCode(1004, _P, "The Nmbrs environment is disabled: it has no valid subscription.",
              "De Nmbrs-omgeving is uitgeschakeld: er is geen geldig abonnement. Neem contact op met Nmbrs of "
              "de beheerder van de omgeving."),
    FaultCode(1006, _T, "Nmbrs reported a generic login security failure; retrying tends to solve it.",
              LoginTemporarilyFailed.user_message_nl),
    FaultCode(2001, _P, "Nmbrs refused an hour component number.", "Nmbrs weigerde een uurcode. " + _CHECK_INPUT_NL),
    FaultCode(2002, _P, "Nmbrs refused a wage component number.", "Nmbrs weigerde een looncomponent. " + _CHECK_INPUT_NL),
    FaultCode(2003, _P, "The Nmbrs user has no rights to this employee.",
              "De Nmbrs-gebruiker heeft geen rechten op deze werknemer. Geef de gebruiker in Nmbrs toegang."),
    FaultCode(2004, _P, "The Nmbrs user has no rights to this company; check the linked company.",
              "De Nmbrs-gebruiker heeft geen rechten op dit bedrijf. Geef de gebruiker in Nmbrs toegang, of koppel "
              "het juiste bedrijf."),
    FaultCode(2006, _P, "The period does not fit the company's period type in Nmbrs (e.g. four-weekly "
              "instead of monthly).",
              "De periode past niet bij het periodetype van het bedrijf in Nmbrs (bijvoorbeeld vierwekelijks in "
              "plaats van maandelijks). Controleer de verloningsperiode van het bedrijf in Nmbrs."),
    FaultCode(2009, _P, "The Nmbrs user has no rights to this debtor.",
              "De Nmbrs-gebruiker heeft geen rechten op deze debiteur. Geef de gebruiker in Nmbrs toegang."),
    FaultCode(2011, _P, "Nmbrs refused a change in the past without unprotected mode.",
              "Nmbrs weigerde een wijziging in het verleden (beveiligde modus). " + _CHECK_INPUT_NL),
    FaultCode(2012, _P, "The wage tax return was already sent.", "De loonaangifte is al verzonden."),
    FaultCode(2013, _P, "This operation is not available on a Nmbrs free trial.",
              "Dit kan niet met een proefversie van Nmbrs. Zet de omgeving om naar een betaald abonnement."),
    FaultCode(2014, _P, "Nmbrs refused an IBAN.", "Nmbrs weigerde een IBAN. " + _CHECK_INPUT_NL),
    FaultCode(2015, _P, "Nmbrs refused a bank account number.", "Nmbrs weigerde een rekeningnummer. " + _CHECK_INPUT_NL),
    FaultCode(2016, _P, "Nmbrs refused a bank account type.", "Nmbrs weigerde een rekeningsoort. " + _CHECK_INPUT_NL),
    FaultCode(2017, _P, "Nmbrs refused a labour agreement ID.", "Nmbrs weigerde een cao-ID. " + _CHECK_INPUT_NL),
    FaultCode(2018, _P, "Nmbrs refused a leave ID.", "Nmbrs weigerde een verlof-ID. " + _CHECK_INPUT_NL),
    FaultCode(2019, _T, "Nmbrs has no status for the background task (yet).",
              "Nmbrs heeft (nog) geen status voor de achtergrondtaak. We proberen het later opnieuw."),
    FaultCode(2020, _T, "Nmbrs has no status for the background task (yet).",
              "Nmbrs heeft (nog) geen status voor de achtergrondtaak. We proberen het later opnieuw."),
    FaultCode(2021, _P, "Nmbrs's background task result is not valid.",
              "Het resultaat van de achtergrondtaak in Nmbrs is ongeldig. " + _CHECK_INPUT_NL),
    FaultCode(2022, _P, "Nmbrs refused a leave type.", "Nmbrs weigerde een verlofsoort. " + _CHECK_INPUT_NL),
    FaultCode(2028, _P, "A start time lies after its end time.", "Een begintijd ligt na de eindtijd. " + _CHECK_INPUT_NL),
    FaultCode(2029, _P, "Time slots overlap.", "Tijdvakken overlappen. " + _CHECK_INPUT_NL),
    FaultCode(2030, _P, "Nmbrs refused the set of values.", "Nmbrs weigerde de ingevoerde waarden. " + _CHECK_INPUT_NL),
    FaultCode(2032, _P, "An IBAN is required.", "Een IBAN is verplicht. " + _CHECK_INPUT_NL),
    FaultCode(2033, _P, "A tax type is required.", "Een belastingsoort is verplicht. " + _CHECK_INPUT_NL),
    FaultCode(2034, _P, "Nmbrs refused a tax type.", "Nmbrs weigerde een belastingsoort. " + _CHECK_INPUT_NL),
    FaultCode(2035, _P, "A tax form is required.", "Een belastingformulier is verplicht. " + _CHECK_INPUT_NL),
    FaultCode(2036, _P, "Nmbrs refused a tax form.", "Nmbrs weigerde een belastingformulier. " + _CHECK_INPUT_NL),
    FaultCode(2037, _P, "Nmbrs refused a cost centre ID.", "Nmbrs weigerde een kostenplaats-ID. " + _CHECK_INPUT_NL),
    FaultCode(2038, _P, "Nmbrs refused a cost centre code.", "Nmbrs weigerde een kostenplaatscode. " + _CHECK_INPUT_NL),
    FaultCode(2039, _P, "A cost centre code is duplicated.", "Een kostenplaatscode komt dubbel voor. " + _CHECK_INPUT_NL),
    FaultCode(2040, _P, "A file name needs an extension.", "Een bestandsnaam mist de extensie. " + _CHECK_INPUT_NL),
    FaultCode(2041, _P, "The file is too large.", "Het bestand is te groot. " + _CHECK_INPUT_NL),
    FaultCode(2042, _P, "This login e-mail belongs to several Nmbrs environments; Nmbrs needs the domain "
              "(Tenant Key) to know which one.",
              "Dit e-mailadres hoort bij meerdere Nmbrs-omgevingen. Vul de Tenant Key in van de omgeving die "
              "gekoppeld moet worden (het gedeelte vóór .nmbrs.nl in de URL)."),
    FaultCode(2043, _P, "Nmbrs does not know this domain (Tenant Key).", UnknownTenant.user_message_nl),
    FaultCode(2044, _P, "Nmbrs refused the endpoint.", "Nmbrs weigerde het adres van de aanroep. " + _CHECK_INPUT_NL),
    FaultCode(2045, _P, "Nmbrs refused a name.", "Nmbrs weigerde een naam. " + _CHECK_INPUT_NL),
    FaultCode(2046, _P, "Nmbrs did not find what was asked for.", NotFound.user_message_nl),
    FaultCode(2047, _P, "Nmbrs refused a document type.", "Nmbrs weigerde een documentsoort. " + _CHECK_INPUT_NL),
)}
UNKNOWN_CODE = 9999  # Nmbrs's own "unknown error": handled like any code we do not know


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
        return DocumentedNmbrsError, f"{FAULT_CODES[code].english} ({operation or 'a call'}) {said}"
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
        error.code, error.user_message_nl = code, FAULT_CODES[code].dutch  # 2004/2009: their own words
    return error


class UnusableJournal(NmbrsError):
    """A journal Nmbrs delivered that cannot be booked as is (unbalanced, no lines, unreadable amounts).
    Not transient: the payroll administrator has to look at the run's journal settings in Nmbrs."""

    user_message_nl = ("De journaalpost uit Nmbrs is niet te boeken (hij sluit niet of is leeg). Controleer de "
                       "journaalpost van deze verloning in Nmbrs.")
