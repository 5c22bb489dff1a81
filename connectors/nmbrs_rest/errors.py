"""Typed Nmbrs REST errors, and the one place where Nmbrs' error answers are read.

Nmbrs answers errors with a JSON object `{type, httpStatus, code, title, detail}` (its OpenAPI
description, docs/vendors/nmbrs-rest.md, "Errors"). Which answer means a wrong subscription key and
which a missing scope is not documented: `classify` holds those guesses, in one function, so a real
account's answers change one place. Every error has an English `message` (logs) and a translatable
`user_message` (connectors/texts.py) for the bookkeeper; `transient` says whether trying later helps.
"""

from __future__ import annotations

import re

from connectors.errors import SourceError
from connectors.nmbrs_rest import scopes
from connectors.texts import gettext_lazy as _

# Known codes of Nmbrs' error objects (the spec's examples).
NO_ACCESS_TO_DATA = 40303  # "Unauthorized_AccessData": no access to that debtor or company
ENVIRONMENT_WITHOUT_SUBSCRIPTION = 40304  # "Invalid_Subscription": the Nmbrs environment is disabled
# A guess (docs/vendors/nmbrs-rest.md, "Guesses"): the gateway in front of the API names the key.
_SUBSCRIPTION_KEY = re.compile(r"subscription[ _-]?key", re.IGNORECASE)


class NmbrsRestError(SourceError):
    user_message = _("Nmbrs returned an unknown error. Try again later; if it keeps failing, contact the "
                     "administrator.")

    def __init__(self, message: str, *, status: int | None = None, path: str = "", code: int | None = None,
                 title: str = ""):
        super().__init__(message)
        self.status, self.path, self.code, self.title = status, path, code, title


class InvalidSubscriptionKey(NmbrsRestError):
    user_message = _("Nmbrs does not accept the portal's subscription key (X-Subscription-Key). The portal "
                     "administrator must enter the key of the portal's product subscription on the Nmbrs "
                     "developer portal in the portal settings.")


class TokenRejected(NmbrsRestError):
    user_message = _("Nmbrs no longer accepts the portal's authorisation. Connect Nmbrs again.")


class MissingScope(NmbrsRestError):
    user_message = _("The Nmbrs authorisation lacks a permission (scope) the portal needs. Connect Nmbrs again "
                     "and allow every permission the portal asks for.")

    def __init__(self, message: str, *, scope: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.scope = scope


class NoAccess(NmbrsRestError):
    user_message = _("The Nmbrs user who connected the portal has no access to this company or debtor. Grant "
                     "access in Nmbrs (user template, tags or filters) or link another company.")


class EnvironmentDisabled(NmbrsRestError):
    user_message = _("Nmbrs says this Nmbrs environment has no valid subscription. Contact Nmbrs.")


class NotFound(NmbrsRestError):
    user_message = _("Nmbrs did not find what the portal asked for (a company, run or document).")


class RequestRejected(NmbrsRestError):
    user_message = _("Nmbrs refused the portal's request. Contact the administrator.")


class RateLimited(NmbrsRestError):
    transient = True
    user_message = _("Nmbrs is limiting the number of calls. The import is tried again later.")

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class NmbrsRestUnavailable(NmbrsRestError):
    transient = True
    user_message = _("Nmbrs cannot be reached right now. The import is tried again later.")


class BadResponse(NmbrsRestError):
    transient = True
    user_message = _("Nmbrs sent an answer the portal cannot read. The import is tried again later.")


# --- OAuth ------------------------------------------------------------------------------------------


class OAuthError(NmbrsRestError):
    user_message = _("Connecting Nmbrs failed. Try again; if it keeps failing, contact the administrator.")

    def __init__(self, message: str, *, error: str = "", description: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.error, self.description = error, description


class OAuthTransientError(OAuthError):
    transient = True
    user_message = _("Nmbrs' login service cannot be reached right now. Try again in a few minutes.")


class GrantRevoked(OAuthError):
    """invalid_grant on a refresh: the grant was revoked (or the refresh token used up). Permanent: a person
    must connect Nmbrs again."""

    user_message = _("Nmbrs no longer accepts the portal's authorisation (it was revoked or has expired). "
                     "Connect Nmbrs again.")


class StateMismatch(OAuthError):
    user_message = _("The answer from Nmbrs does not belong to this attempt to connect. Connect Nmbrs again.")


class ConsentDenied(OAuthError):
    user_message = _("Access was not granted at Nmbrs. Connect Nmbrs again and allow access.")


def _said(body) -> tuple[int | None, str, str]:
    """(code, title, words) of an error answer: Nmbrs' object, or a gateway's {statusCode, message}."""
    if not isinstance(body, dict):
        return None, "", ""
    code = body.get("code") if isinstance(body.get("code"), int) else None
    title = str(body.get("title") or "")
    words = " ".join(str(body[k]) for k in ("title", "detail", "message") if body.get(k))
    return code, title, words


def classify(status: int, body, path: str, www_authenticate: str = "") -> NmbrsRestError:
    """An error answer (after the client's own retries and its one token refresh) -> the typed error."""
    code, title, words = _said(body)
    said = f" Nmbrs said: {words!r}." if words else ""
    where = {"status": status, "path": path, "code": code, "title": title}
    if status in (401, 403) and _SUBSCRIPTION_KEY.search(words):
        return InvalidSubscriptionKey(f"Nmbrs refused the subscription key (HTTP {status} on {path}).{said}", **where)
    if status == 401:
        return TokenRejected(f"Nmbrs refused the access token even after a refresh (HTTP 401 on {path}).{said}",
                             **where)
    if status == 403 and code == NO_ACCESS_TO_DATA:
        return NoAccess(f"The Nmbrs user has no access to this debtor or company (HTTP 403 on {path}).{said}",
                        **where)
    if status == 403 and code == ENVIRONMENT_WITHOUT_SUBSCRIPTION:
        return EnvironmentDisabled(f"The Nmbrs environment has no valid subscription (HTTP 403 on {path}).{said}",
                                   **where)
    if status == 403:
        scope = scopes.needed_for(path)
        hint = "insufficient_scope" in www_authenticate.lower()
        return MissingScope(f"Nmbrs refused {path} (HTTP 403{', insufficient_scope' if hint else ''}): the "
                            f"authorisation probably lacks the scope {scope or '(unknown)'!r}.{said}",
                            scope=scope, **where)
    if status == 404:
        return NotFound(f"Nmbrs does not know {path} (HTTP 404).{said}", **where)
    if status == 429:
        return RateLimited(f"Nmbrs is limiting our calls (HTTP 429 on {path}).{said}", **where)
    if status >= 500:
        return NmbrsRestUnavailable(f"Nmbrs failed (HTTP {status} on {path}); try again later.{said}", **where)
    return RequestRejected(f"Nmbrs rejected the request for {path} (HTTP {status}).{said}", **where)
