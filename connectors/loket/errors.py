"""Typed errors of the Loket connector, and the one place that maps a refused call to a Loket right.

Every error carries an English `message` (logs) and a `user_message` for the bookkeeper: what failed
and what to do, through gettext like every other text of the portal (English msgid, Dutch in
locale/nl), in the language active where it is shown. `transient` tells the caller whether trying again later can help (network, 429, 5xx) or a
person has to act first (re-authorise, grant a right, fix a client number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from connectors.errors import SourceError
from connectors.texts import gettext
from connectors.texts import gettext_lazy as _

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

    `message` is English and detailed (logs); `user_message` is what the portal shows a bookkeeper:
    what happened and what to do, translated (gettext) into the language of whoever reads it.
    """

    transient = False
    user_message = _("Loket returned an unexpected error. Try again later; if it keeps failing, contact the administrator.")

    def __init__(self, message: str, *, status: int | None = None, path: str = "",
                 messages: tuple[LoketMessage, ...] = ()):
        super().__init__(message)
        self.status = status
        self.path = path
        self.messages = messages


# --- REST API -------------------------------------------------------------------------------------

class LoketTransientError(LoketError):
    """Loket was unreachable, slow, rate limiting or failing (5xx): try again later."""

    user_message = _("Loket is temporarily unreachable or had a failure. We will try again automatically later.")

    transient = True


class LoketRateLimited(LoketTransientError):
    user_message = _("Loket asked for fewer requests at a time (too many requests). We will try again automatically later.")

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class LoketMalformedResponse(LoketTransientError):
    """Loket answered something we cannot read (broken JSON, a non-PDF where a PDF was asked)."""

    user_message = _("Loket sent an unreadable answer. We will try again automatically later.")


class LoketUnauthorized(LoketError):
    """Loket rejects the access token even after a refresh: the portal must be authorised again."""

    user_message = _("Loket no longer accepts the portal's authorisation. Click 'Connect to Loket' and log in again.")


class LoketForbidden(LoketError):
    """Loket refused the call (403): the Loket user lacks a right or has no access to the employer."""

    def __init__(self, message: str, *, missing_right: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.missing_right = missing_right

    @property
    def user_message(self) -> str:
        if self.missing_right:
            return gettext("The Loket user of the link lacks the right '%(right)s'. Grant this right in Loket "
                           "(individually or through the team) and try again.") % {"right": self.missing_right}
        return gettext("Loket refuses access: the Loket user has no access to this employer or lacks a right "
                       "(raadplegen dienstverbanden, 940 journaliseren, exporteren journaalrun, raadplegen "
                       "loonaangifte, raadplegen loonoutput).")


class LoketNotFound(LoketError):
    user_message = _("Loket cannot find the requested data (any more). Check that the employer still exists in Loket.")


class LoketRequestError(LoketError):
    """Loket rejected the request (400/409/422 ...), usually a broken business rule in `messages`."""

    @property
    def user_message(self) -> str:
        detail = "; ".join(m.description for m in self.messages if getattr(m, "description", "")) or self.message
        return gettext("Loket refused the request: %(detail)s") % {"detail": detail}


class LoketDataError(LoketError):
    """Loket answered, but the data cannot be used as it is (e.g. a journal run that does not balance)."""

    @property
    def user_message(self) -> str:
        return gettext("The data from Loket cannot be booked as it is (%(detail)s). Check it in Loket; the next "
                       "import fetches the corrected version.") % {"detail": self.message}


class AdministrationNotFound(LoketError):
    """No (single) payroll administration for the client number and wage tax number. `reason` says
    which of the cases below it is, with the numbers, so the bookkeeper reads it in their own words."""

    NOT_A_NUMBER = "not_a_number"
    NO_WAGE_TAX_NUMBER = "no_wage_tax_number"
    OTHER_WAGE_TAX_NUMBERS = "other_wage_tax_numbers"
    NOT_VISIBLE = "not_visible"

    def __init__(self, message: str, *, reason: str = "", client_number: str = "", wage_tax_number: str = "",
                 others: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.reason = reason
        self.params = {"number": client_number, "wanted": wage_tax_number, "others": others}

    @property
    def user_message(self) -> str:
        if self.reason == self.NOT_A_NUMBER:
            text = gettext("The Loket client number '%(number)s' is not a number. Enter the client number from "
                           "Loket.nl Classic (tab 'Adm') as the Relatiecode.")
        elif self.reason == self.NO_WAGE_TAX_NUMBER:
            text = gettext("This administration has no wage tax number. Enter it on the administration's page.")
        elif self.reason == self.OTHER_WAGE_TAX_NUMBERS:
            text = gettext("Loket client number %(number)s has no payroll administration with wage tax number "
                           "%(wanted)s (it has: %(others)s). Check the wage tax number of this administration.")
        elif self.reason == self.NOT_VISIBLE:
            text = gettext("The Loket user sees no payroll administration with client number %(number)s. Check "
                           "the client number (Relatiecode) and that the Loket user has access to this employer.")
        else:
            text = gettext("This employer was not found in Loket. Check the client number (Relatiecode) and the "
                           "wage tax number on the administration's page.")
        return text % self.params


class AmbiguousAdministration(LoketError):
    def __init__(self, message: str, *, count: int = 0, client_number: str = "", wage_tax_number: str = "",
                 names: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.params = {"count": count, "number": client_number, "wanted": wage_tax_number, "names": names}

    @property
    def user_message(self) -> str:
        return gettext("Loket has %(count)s payroll administrations with client number %(number)s and wage tax "
                       "number %(wanted)s (%(names)s). Ask Loket which one to use, or let the Loket user see only "
                       "that one.") % self.params


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

    user_message = _("Loket needs to be authorised again: the stored authorisation has expired or was "
                     "revoked. Click 'Connect to Loket' and log in again.")
