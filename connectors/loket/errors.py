"""Typed errors of the Loket connector, and the one place that maps a refused call to a Loket right.

Every error carries a message the portal can show as is (it translates them): what failed and what
to do. `transient` tells the caller whether trying again later can help (network, 429, 5xx) or a
person has to act first (re-authorise, grant a right, fix a client number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from connectors.errors import SourceError

# The rights the dedicated Loket user needs (docs/vendors/loket.md, "The dedicated user and its rights"), as Loket names them in its UI.
RIGHT_EMPLOYMENTS = "Raadplegen dienstverbanden"
RIGHT_JOURNALISE = "940 journaliseren"
RIGHT_EXPORT_JOURNAL_RUN = "Exporteren journaalrun"
RIGHT_TAX_RETURNS = "Raadplegen loonaangifte"
RIGHT_PAYROLL_OUTPUT = "Raadplegen loonoutput"
REQUIRED_RIGHTS = (RIGHT_EMPLOYMENTS, RIGHT_JOURNALISE, RIGHT_EXPORT_JOURNAL_RUN, RIGHT_TAX_RETURNS,
                   RIGHT_PAYROLL_OUTPUT)

# Which right a 403 on a path most likely means. Loket's 403 body does not name the right (docs/vendors/loket.md:
# "403 operation not granted"), so we infer it from the path; first match wins. The split of the two
# journal rights (listing runs vs. reading their results) is our best reading of the rights list, not
# confirmed by Loket.
_RIGHT_BY_PATH = (
    (re.compile(r"/journalruns/[^/]+/(results|runoverview|report|download)"), RIGHT_EXPORT_JOURNAL_RUN),
    (re.compile(r"/journalruns"), RIGHT_JOURNALISE),
    (re.compile(r"/payrolltaxreturns"), RIGHT_TAX_RETURNS),
    (re.compile(r"/payslips|/payrollperiods|/payrollruns|/payrollperiodresults"), RIGHT_PAYROLL_OUTPUT),
    (re.compile(r"/employments"), RIGHT_EMPLOYMENTS),
)


def missing_right_for(path: str) -> str | None:
    """The Loket right a 403 on `path` most likely points at, or None if we cannot tell."""
    for pattern, right in _RIGHT_BY_PATH:
        if pattern.search(path):
            return right
    return None


@dataclass(frozen=True)
class LoketMessage:
    """One entry of Loket's `messages` array: {code, id, type, description, properties}."""

    code: str = ""
    type: str = ""
    description: str = ""
    id: str = ""
    properties: tuple = field(default_factory=tuple)

    @classmethod
    def from_json(cls, item: dict) -> LoketMessage:
        return cls(code=str(item.get("code") or ""), type=str(item.get("type") or ""),
                   description=str(item.get("description") or ""), id=str(item.get("id") or ""),
                   properties=tuple(item.get("properties") or ()))


def messages_from_body(body) -> tuple[LoketMessage, ...]:
    if not isinstance(body, dict):
        return ()
    items = body.get("messages") or ()
    return tuple(LoketMessage.from_json(item) for item in items if isinstance(item, dict))


class LoketError(SourceError):
    """Base of every Loket connector error.

    `message` is English and detailed (logs, the English UI); `user_message_nl` is what the Dutch
    portal shows a bookkeeper: what happened and what to do.
    """

    transient = False
    user_message_nl = "Loket gaf een onverwachte fout. Probeer het later opnieuw; blijft het misgaan, neem contact op met de beheerder."

    def __init__(self, message: str, *, status: int | None = None, path: str = "",
                 messages: tuple[LoketMessage, ...] = ()):
        super().__init__(message)
        self.status = status
        self.path = path
        self.messages = messages


# --- REST API -------------------------------------------------------------------------------------

class LoketTransientError(LoketError):
    """Loket was unreachable, slow, rate limiting or failing (5xx): try again later."""

    user_message_nl = "Loket is tijdelijk niet bereikbaar of gaf een storing. We proberen het later automatisch opnieuw."

    transient = True


class LoketRateLimited(LoketTransientError):
    user_message_nl = "Loket vroeg om minder verzoeken tegelijk (te veel verzoeken). We proberen het later automatisch opnieuw."

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class LoketMalformedResponse(LoketTransientError):
    """Loket answered something we cannot read (broken JSON, a non-PDF where a PDF was asked)."""

    user_message_nl = "Loket stuurde een onleesbaar antwoord. We proberen het later automatisch opnieuw."


class LoketUnauthorized(LoketError):
    """Loket rejects the access token even after a refresh: the portal must be authorised again."""

    user_message_nl = "Loket accepteert de autorisatie van het portaal niet meer. Klik op 'Verbind met Loket' en log opnieuw in."


class LoketForbidden(LoketError):
    """Loket refused the call (403): the Loket user lacks a right or has no access to the employer."""

    def __init__(self, message: str, *, missing_right: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.missing_right = missing_right

    @property
    def user_message_nl(self) -> str:
        if self.missing_right:
            return (f"De Loket-gebruiker van de koppeling mist het recht '{self.missing_right}'. Geef dit recht in "
                    "Loket (individueel of via het team) en probeer het daarna opnieuw.")
        return ("Loket weigert de toegang: de Loket-gebruiker heeft geen toegang tot deze werkgever of mist een recht "
                "(raadplegen dienstverbanden, 940 journaliseren, exporteren journaalrun, raadplegen loonaangifte, "
                "raadplegen loonoutput).")


class LoketNotFound(LoketError):
    user_message_nl = "Loket kan het gevraagde gegeven niet (meer) vinden. Controleer of de werkgever nog bestaat in Loket."


class LoketRequestError(LoketError):
    """Loket rejected the request (400/409/422 ...), usually a broken business rule in `messages`."""

    @property
    def user_message_nl(self) -> str:
        detail = "; ".join(m.description for m in self.messages if getattr(m, "description", "")) or self.message
        return f"Loket weigerde het verzoek: {detail}"


class LoketDataError(LoketError):
    """Loket answered, but the data cannot be used as it is (e.g. a journal run that does not balance)."""

    @property
    def user_message_nl(self) -> str:
        return f"De gegevens uit Loket zijn zo niet te boeken ({self.message}). Controleer ze in Loket; de volgende import haalt de gecorrigeerde versie op."


class AdministrationNotFound(LoketError):
    @property
    def user_message_nl(self) -> str:
        return ("Deze werkgever is niet gevonden in Loket. Controleer het clientnummer (Relatiecode) en het "
                f"loonheffingennummer op de pagina van de administratie. ({self.message})")


class AmbiguousAdministration(LoketError):
    @property
    def user_message_nl(self) -> str:
        return ("Loket vindt meer dan één salarisadministratie bij dit clientnummer en loonheffingennummer. "
                f"Controleer de gegevens in Loket. ({self.message})")


# --- OAuth ----------------------------------------------------------------------------------------

class OAuthError(LoketError):
    """The Loket authorisation server refused: `error` is the OAuth error code (invalid_client, ...)."""

    def __init__(self, message: str, *, error: str = "", description: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.error = error
        self.description = description


class InvalidGrant(OAuthError):
    """The code or refresh token is not (or no longer) valid: used, expired, or revoked.

    After a refresh this is expected when another worker already rotated the token: re-read the
    stored token once before declaring the connection broken (docs/vendors/loket.md, "Authorisation").
    """


class OAuthTransientError(OAuthError):
    """The token endpoint could not be reached or failed (timeout, 5xx, 429, unreadable answer)."""

    transient = True


class ConsentDenied(OAuthError):
    """The user clicked "Weigeren" at Loket, or Loket reported another error on the redirect."""


class StateMismatch(OAuthError):
    """The `state` on the redirect is not the one we issued: a stale tab or a forged request."""


class ConnectionBroken(OAuthError):
    """The stored refresh token is rejected and no newer one exists: authorise Loket again."""

    user_message_nl = ("Loket moet opnieuw worden geautoriseerd: de opgeslagen autorisatie is verlopen of ingetrokken. "
                       "Klik op 'Verbind met Loket' en log opnieuw in.")
