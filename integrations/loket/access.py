"""The portal's side of Loket's OAuth: the client for our settings, and stored, rotating tokens.

(docs/vendors/loket.md, "Authorisation"): refresh tokens are single-use. So a refresh happens under a row lock on the
connection (one per connection), the new pair is stored in the same transaction, and after
`invalid_grant` the stored token is re-read once (`connectors.loket.tokens.refresh_rotating`) before
the connection is declared broken. A broken connection is marked, notified once, and never retried:
a person has to click "Verbind met Loket" again.

Call the token provider outside an enclosing `transaction.atomic()` that may roll back (the import
engine does): a rolled-back refresh would lose the only refresh token Loket still accepts.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from connectors.loket.client import LoketClient
from connectors.loket.environments import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    LoketEnvironment,
    environment,
)
from connectors.loket.errors import ConnectionBroken
from connectors.loket.oauth import LoketOAuth, TokenSet
from connectors.loket.tokens import refresh_rotating
from integrations.loket.models import LoketConnection, LoketLink, LoketPortalAccess
from portal import notifications
from portal.models import Administration
from portal.models.connections import ConnectionStatus
from portal.vendors import sandbox_url

# Refresh an access token this many seconds before Loket says it expires (a call takes time).
LEEWAY_SECONDS = 60


def loket_environment() -> LoketEnvironment:
    """LOKET_ENVIRONMENT: production, acceptance, or sandbox (ours, at LOKET_SANDBOX_URL or mounted)."""
    name = settings.LOKET_ENVIRONMENT
    if name == "sandbox":
        return environment("sandbox", sandbox_prefix=settings.LOKET_SANDBOX_URL or sandbox_url("loket"))
    return environment(name)


def loket_client_credentials() -> tuple[str, str]:
    """The portal's Loket API client; in sandbox mode the sandbox's own client when none is set."""
    if settings.LOKET_CLIENT_ID or settings.LOKET_ENVIRONMENT != "sandbox":
        return settings.LOKET_CLIENT_ID, settings.LOKET_CLIENT_SECRET
    return SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET


def redirect_uri() -> str:
    """The redirect URL registered at Loket; the settings page shows the same one."""
    return settings.PORTAL_BASE_URL + reverse("loket:callback")


def oauth(return_url: str | None = None) -> LoketOAuth:
    """`return_url`: where Loket sends the person back to (integrations/loket/addresses.py), if not
    the registered redirect URL."""
    client_id, client_secret = loket_client_credentials()
    return LoketOAuth(loket_environment(), client_id, client_secret, return_url or redirect_uri())


def broken_notice_key(connection: LoketConnection) -> str:
    return f"loket-broken-{connection.pk}"


def stored_tokens(connection: LoketConnection) -> TokenSet | None:
    if not connection.refresh_token:
        return None
    return TokenSet(access_token=connection.access_token, refresh_token=connection.refresh_token,
                    expires_at=connection.access_token_expires_at or timezone.now())


def _put_tokens(connection: LoketConnection, tokens: TokenSet) -> None:
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token
    connection.access_token_expires_at = tokens.expires_at


def _lock(pk: int) -> LoketConnection:
    """The connection row, locked until the end of the transaction (one refresher per connection)."""
    if not db_connection.features.has_select_for_update:
        # SQLite (the one-command run) has no row locks: a write takes the database's write lock
        # first, so a second refresher waits here instead of reading a token about to be used up.
        LoketConnection.objects.filter(pk=pk).update(updated_at=timezone.now())
    return LoketConnection.objects.select_for_update().get(pk=pk)


# --- authorise and disconnect (the views) ------------------------------------------------------------

def store_authorisation(connection: LoketConnection | None, tokens: TokenSet, user) -> LoketConnection:
    """Store a fresh authorisation (after "Toestaan"), creating the connection if there is none yet."""
    with transaction.atomic():
        connection = _lock(connection.pk) if connection is not None and connection.pk else LoketConnection()
        _put_tokens(connection, tokens)
        connection.environment = loket_environment().name
        connection.status = ConnectionStatus.AUTHORISED
        connection.status_reason = ""
        connection.authorised_at = timezone.now()
        connection.authorised_by = user if getattr(user, "is_authenticated", False) else None
        connection.save()
    notifications.resolve(broken_notice_key(connection))
    return connection


def remove_authorisation(connection: LoketConnection) -> LoketConnection:
    """Disconnect: the tokens are removed, the row stays (linked) as "not connected"."""
    with transaction.atomic():
        connection = _lock(connection.pk)
        _put_tokens(connection, TokenSet("", "", timezone.now()))
        connection.access_token_expires_at = None
        connection.status = ConnectionStatus.NOT_CONNECTED
        connection.status_reason = ""
        connection.authorised_at = None
        connection.authorised_by = None
        connection.save()
    notifications.resolve(broken_notice_key(connection))
    return connection


# --- broken connections ---------------------------------------------------------------------------

def _owner(connection: LoketConnection) -> Administration | None:
    """The administration whose own connection this is; None for the portal's."""
    if LoketPortalAccess.objects.filter(connection=connection).exists():
        return None
    link = LoketLink.objects.select_related("administration__domain").filter(own_connection=connection).first()
    return link.administration if link is not None else None


def _notify_broken(connection: LoketConnection) -> None:
    administration = _owner(connection)
    if administration is None:
        where, link = _("the portal"), reverse("portal:settings") + "#loket"
    else:
        where, link = administration.name, reverse("portal:administration", args=[administration.pk]) + "#loket"
    notifications.notify(
        title=_("Loket needs to be authorised again (%(where)s)") % {"where": where},
        message=_("%(reason)s. Imports from Loket are skipped until someone clicks \"Connect to Loket\" "
                  "and logs in at Loket again.") % {"reason": connection.status_reason},
        key=broken_notice_key(connection), administration=administration, link=link)


def _broken_reason() -> str:
    when = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    return _("Loket rejected the stored authorisation on %(when)s: the refresh token was used, expired or "
             "revoked") % {"when": when}


def _refuse(connection: LoketConnection) -> ConnectionBroken:
    """The error for a connection that cannot give tokens; nothing is marked or sent again."""
    if connection.status == ConnectionStatus.BROKEN:
        return ConnectionBroken(_("Loket needs to be authorised again (%(reason)s). Click \"Connect to Loket\".")
                                % {"reason": connection.status_reason}, error="broken")
    return ConnectionBroken(_("Loket is not connected. Click \"Connect to Loket\" and log in at Loket."),
                            error="not_connected")


def _mark_broken(connection: LoketConnection, reason: str) -> None:
    connection.status = ConnectionStatus.BROKEN
    connection.status_reason = reason
    connection.save(update_fields=["status", "status_reason", "updated_at"])


# --- the token provider -----------------------------------------------------------------------------

class ConnectionTokenProvider:
    """`provider(force_refresh=False) -> access token` for one stored connection (LoketClient's contract).

    The access token is read from the database and kept while valid; a refresh runs under the row
    lock. `force_refresh` (the client got a 401 with our token) refreshes unless another worker
    already stored a newer pair meanwhile.
    """

    def __init__(self, connection_pk: int, *, leeway: int = LEEWAY_SECONDS):
        self.connection_pk = connection_pk
        self.leeway = leeway
        self.refreshes = 0  # refreshes this provider did itself (tests, logs)
        self._tokens: TokenSet | None = None
        self._lock = threading.Lock()

    def __call__(self, force_refresh: bool = False) -> str:
        with self._lock:
            if not force_refresh and self._tokens is not None and not self._tokens.is_expired(leeway=self.leeway):
                return self._tokens.access_token
            self._tokens = self._fresh(force_refresh)
            return self._tokens.access_token

    def _usable(self, connection: LoketConnection) -> TokenSet:
        tokens = stored_tokens(connection)
        if connection.status != ConnectionStatus.AUTHORISED or tokens is None:
            raise _refuse(connection)
        return tokens

    def _fresh(self, force_refresh: bool) -> TokenSet:
        stored = self._usable(LoketConnection.objects.get(pk=self.connection_pk))
        if not force_refresh and not stored.is_expired(leeway=self.leeway):
            return stored
        rejected = (self._tokens or stored).access_token if force_refresh else None
        return self._refresh(rejected)

    def _refresh(self, rejected_access_token: str | None) -> TokenSet:
        pk = self.connection_pk
        with transaction.atomic():
            connection = _lock(pk)
            stored = self._usable(connection)
            if not stored.is_expired(leeway=self.leeway) and stored.access_token != rejected_access_token:
                return stored  # another worker refreshed while we waited for the lock
            environment = loket_environment()
            if connection.environment and connection.environment != environment.name:
                broken = ConnectionBroken(_("The Loket authorisation was given in the %(old)s environment; the "
                                            "portal now uses %(new)s") % {"old": connection.environment,
                                                                           "new": environment.name},
                                          error="environment_changed")
                _mark_broken(connection, broken.message)
            else:
                try:
                    fresh = refresh_rotating(oauth(), stored, lambda: stored_tokens(LoketConnection.objects.get(pk=pk)))
                except ConnectionBroken as exc:
                    broken = exc
                    _mark_broken(connection, _broken_reason())
                else:
                    _put_tokens(connection, fresh)
                    connection.save(update_fields=["access_token", "refresh_token", "access_token_expires_at",
                                                   "updated_at"])
                    self.refreshes += 1
                    return fresh
        # Committed: the mark stays even though we raise. Notify once, on the way into BROKEN.
        _notify_broken(connection)
        raise ConnectionBroken(_("Loket needs to be authorised again (%(reason)s). Click \"Connect to Loket\".")
                               % {"reason": connection.status_reason}, error=broken.error,
                               description=broken.description) from broken


def token_provider_for(connection: LoketConnection) -> ConnectionTokenProvider:
    return ConnectionTokenProvider(connection.pk)


def loket_client_for(connection: LoketConnection, **client_options) -> LoketClient:
    """`with loket_client_for(connection) as client:` a LoketClient on the portal's Loket environment."""
    return LoketClient(loket_environment().api_base, token_provider_for(connection), **client_options)
