"""The portal's side of Nmbrs REST's OAuth: the environment, the registered app, stored rotating tokens and
the one way to build a client (as integrations/loket/access.py for Loket).

docs/vendors/nmbrs-rest.md, "Authorisation": refresh tokens are treated as single-use, so a refresh runs under
a row lock on the connection and the new pair is stored in the same transaction (the connector's
TokenProvider re-reads once after invalid_grant). A grant Nmbrs no longer accepts marks the connection
"re-authorisation needed"; nothing retries it until a person connects again. Call the provider outside a
transaction that may roll back (the import engine does): a rolled-back refresh would lose the only
refresh token Nmbrs still accepts.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connection as db_connection
from django.db import connections, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from connectors.nmbrs_rest import environments
from connectors.nmbrs_rest.client import NmbrsRestClient
from connectors.nmbrs_rest.errors import GrantRevoked
from connectors.nmbrs_rest.oauth import NmbrsRestOAuth, TokenSet
from connectors.nmbrs_rest.tokens import TokenProvider
from integrations.nmbrs_rest.models import NmbrsRestConnection, portal_access
from portal.models import PortalSettings
from portal.models.connections import ConnectionStatus
from portal.vendors import sandbox_url


def rest_environment() -> environments.NmbrsRestEnvironment:
    """NMBRS_REST_ENVIRONMENT: 'live', 'sandbox' (ours, mounted in this portal) or a sandbox's URL."""
    value = settings.NMBRS_REST_ENVIRONMENT
    if value == "sandbox":
        return environments.sandbox(sandbox_url("nmbrs_rest"))
    return environments.resolve(value)


def app_credentials(portal: PortalSettings | None = None) -> tuple[str, str, str]:
    """(client id, client secret, subscription key) the portal administrator entered; in sandbox mode our
    sandbox's own while none are entered (as Loket's sandbox client)."""
    access = portal_access(portal or PortalSettings.load())
    if access.client_id or settings.NMBRS_REST_ENVIRONMENT != "sandbox":
        return access.client_id, access.client_secret, access.subscription_key
    return (environments.SANDBOX_CLIENT_ID, environments.SANDBOX_CLIENT_SECRET,
            environments.SANDBOX_SUBSCRIPTION_KEY)


def redirect_uri() -> str:
    """The redirect URI registered with Nmbrs; the settings page shows this one."""
    return settings.PORTAL_BASE_URL + reverse("nmbrs_rest:callback")


def oauth(portal: PortalSettings | None = None) -> NmbrsRestOAuth:
    client_id, client_secret, _key = app_credentials(portal)
    return NmbrsRestOAuth(rest_environment(), client_id, client_secret, redirect_uri())


def stored_tokens(connection: NmbrsRestConnection) -> TokenSet | None:
    if not connection.refresh_token:
        return None
    return TokenSet(connection.access_token, connection.refresh_token,
                    connection.access_token_expires_at or timezone.now(), connection.scope)


def _put_tokens(connection: NmbrsRestConnection, tokens: TokenSet) -> None:
    connection.access_token, connection.refresh_token = tokens.access_token, tokens.refresh_token
    connection.access_token_expires_at, connection.scope = tokens.expires_at, tokens.scope


def _lock(pk: int) -> NmbrsRestConnection:
    """The connection row, locked until the end of the transaction (one refresher per connection)."""
    if not db_connection.features.has_select_for_update:  # SQLite: take the write lock first
        NmbrsRestConnection.objects.filter(pk=pk).update(updated_at=timezone.now())
    return NmbrsRestConnection.objects.select_for_update().get(pk=pk)


def store_authorisation(connection: NmbrsRestConnection | None, tokens: TokenSet, user) -> NmbrsRestConnection:
    """Store a fresh grant (after "Toestaan"), creating the connection if there is none yet."""
    with transaction.atomic():
        connection = _lock(connection.pk) if connection is not None and connection.pk else NmbrsRestConnection()
        _put_tokens(connection, tokens)
        connection.environment = rest_environment().name
        connection.status, connection.status_reason = ConnectionStatus.AUTHORISED, ""
        connection.authorised_at = timezone.now()
        connection.authorised_by = user if getattr(user, "is_authenticated", False) else None
        connection.save()
    return connection


def remove_authorisation(connection: NmbrsRestConnection) -> NmbrsRestConnection:
    """Disconnect: the tokens go, the row stays (linked) as "not connected"."""
    with transaction.atomic():
        connection = _lock(connection.pk)
        _put_tokens(connection, TokenSet("", "", timezone.now()))
        connection.access_token_expires_at, connection.scope = None, ""
        connection.status, connection.status_reason = ConnectionStatus.NOT_CONNECTED, ""
        connection.authorised_at, connection.authorised_by = None, None
        connection.save()
    return connection


def mark_broken(connection_pk: int) -> str:
    """Nmbrs refused the grant for good: "re-authorisation needed", with when (committed, whatever follows)."""
    reason = _("Nmbrs rejected the stored authorisation on %(when)s: revoked, expired or used up") % {
        "when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT")}
    NmbrsRestConnection.objects.filter(pk=connection_pk).update(
        status=ConnectionStatus.BROKEN, status_reason=reason, updated_at=timezone.now())
    return reason


def refusal(connection: NmbrsRestConnection | None) -> str:
    """Why this connection cannot give tokens, in words ('' when it can)."""
    if connection is None or connection.status == ConnectionStatus.NOT_CONNECTED or not connection.refresh_token:
        return _("Nmbrs (REST) is not connected. Click \"Connect to Nmbrs\" and log in at Nmbrs.")
    if connection.status == ConnectionStatus.BROKEN:
        return _("Nmbrs (REST) needs to be authorised again (%(reason)s). Click \"Connect to Nmbrs\".") % {
            "reason": connection.status_reason}
    return ""


class ConnectionTokens:
    """`provider(force_refresh=False, rejected=None) -> access token` for one stored connection: the connector's
    TokenProvider on the database row (load, save, and `locked`: a transaction holding the row lock). The
    token is kept in memory while valid, so the client's threads do not each read the database.

    The client calls it from its document-polling threads too (connectors/nmbrs_rest/tasks.py): a refresh
    after a 401 there opens that thread's own database connection (Django's are per thread), which nothing
    else would close; so a thread other than the one that made the provider closes it when done here."""

    def __init__(self, connection_pk: int, oauth_steps: NmbrsRestOAuth):
        self.connection_pk = connection_pk
        self.inner = TokenProvider(oauth_steps, self._load, self._save, self._locked)
        self._memory: TokenSet | None = None
        self._lock = threading.Lock()
        self._owner = threading.get_ident()  # its connection is the caller's (closed by Celery or the request)

    @property
    def refreshes(self) -> int:
        return self.inner.refreshes

    def __call__(self, force_refresh: bool = False, rejected: str | None = None) -> str:
        with self._lock:
            memory = self._memory
            # After a 401 another thread of this client may have refreshed while this one waited on the lock:
            # a token in memory other than the refused one is that new token.
            renewed = force_refresh and rejected is not None and memory is not None and memory.access_token != rejected
            if memory is not None and not memory.is_expired() and (not force_refresh or renewed):
                return memory.access_token
            try:
                return self._from_database(force_refresh, rejected)
            finally:
                if threading.get_ident() != self._owner:
                    close_thread_connections()

    def _from_database(self, force_refresh: bool, rejected: str | None) -> str:
        if reason := refusal(NmbrsRestConnection.objects.get(pk=self.connection_pk)):
            raise GrantRevoked(reason, error="not_authorised")
        try:
            self.inner(force_refresh, rejected)
        except GrantRevoked as exc:
            reason = mark_broken(self.connection_pk)
            raise GrantRevoked(_("Nmbrs (REST) needs to be authorised again (%(reason)s). Click \"Connect "
                                 "to Nmbrs\".") % {"reason": reason}, error=exc.error) from exc
        self._memory = self._load()
        return self._memory.access_token

    def _load(self) -> TokenSet | None:
        return stored_tokens(NmbrsRestConnection.objects.get(pk=self.connection_pk))

    def _save(self, tokens: TokenSet) -> None:
        connection = NmbrsRestConnection.objects.get(pk=self.connection_pk)
        _put_tokens(connection, tokens)
        connection.save(update_fields=["access_token", "refresh_token", "access_token_expires_at", "scope",
                                       "updated_at"])

    @contextmanager
    def _locked(self):
        with transaction.atomic():
            _lock(self.connection_pk)
            yield


def close_thread_connections() -> None:
    """Close this thread's database connections (another thread's are not touched: each has its own);
    never one inside a transaction, which its owner still needs."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


# Options every client gets besides: the test suite puts the OpenAPI check of each request here
# (connectors/nmbrs_rest/tests/spec.py, connector_hooks); empty otherwise.
EXTRA_CLIENT_OPTIONS: dict = {}


def client_for(connection: NmbrsRestConnection, portal: PortalSettings | None = None,
               **client_options) -> NmbrsRestClient:
    """A client on the portal's environment with its subscription key and this connection's tokens."""
    portal = portal or PortalSettings.load()
    _id, _secret, subscription_key = app_credentials(portal)
    tokens = ConnectionTokens(connection.pk, oauth(portal))
    return NmbrsRestClient(rest_environment().api_base, subscription_key, tokens,
                           **{**EXTRA_CLIENT_OPTIONS, **client_options})
