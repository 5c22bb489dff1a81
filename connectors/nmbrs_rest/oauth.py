"""Nmbrs OAuth 2.0 authorization code flow against its identity service, on authlib's httpx2 client.

docs/vendors/nmbrs-rest.md, "Authorisation": authorize and token URLs from the spec's `Bearer` scheme
and Nmbrs' developer pages; the client id, secret and redirect URI are registered with Nmbrs; a code
is valid for 5 minutes; `offline_access` brings a refresh token. Whether refresh tokens rotate is not
documented: we treat them as single-use (store each new one at once) and keep the old one when an
answer carries none (RFC 6749 section 6). A refresh is never retried here: the caller holds the lock
and decides (tokens.refresh_rotating).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx2
from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
from authlib.integrations.httpx_client import OAuth2Client

from connectors.nmbrs_rest import scopes
from connectors.nmbrs_rest.client import tls_context
from connectors.nmbrs_rest.environments import NmbrsRestEnvironment
from connectors.nmbrs_rest.errors import (
    ConsentDenied,
    GrantRevoked,
    MissingScope,
    OAuthError,
    OAuthTransientError,
    StateMismatch,
)

DEFAULT_TIMEOUT = 20.0
DEFAULT_EXPIRES_IN = 3600  # when an answer does not say (a guess; every answer we saw says)


@dataclass(frozen=True)
class TokenSet:
    """What the integration stores (encrypted) per connection."""

    access_token: str
    refresh_token: str
    expires_at: datetime  # aware, UTC
    scope: str = ""  # the scopes granted, as the token answer lists them ('' when it did not say)
    token_type: str = "Bearer"

    @classmethod
    def from_response(cls, token: Mapping, now: datetime | None = None, *,
                      kept_refresh_token: str | None = None) -> TokenSet:
        now = now or datetime.now(UTC)
        access, refresh = token.get("access_token"), token.get("refresh_token") or kept_refresh_token
        if not access or not refresh:
            missing = "access_token" if not access else "refresh_token (was offline_access granted?)"
            raise OAuthError(f"Nmbrs' token answer has no {missing}. Connect Nmbrs again.", error="invalid_response")
        try:
            expires_in = int(token.get("expires_in") or DEFAULT_EXPIRES_IN)
        except (TypeError, ValueError):
            expires_in = DEFAULT_EXPIRES_IN
        scope = token.get("scope") or ""
        return cls(access_token=str(access), refresh_token=str(refresh), expires_at=now + timedelta(seconds=expires_in),
                   scope=" ".join(scope) if isinstance(scope, list | tuple) else str(scope),
                   token_type=str(token.get("token_type") or "Bearer"))

    def is_expired(self, now: datetime | None = None, leeway: int = 60) -> bool:
        now = now or datetime.now(UTC)
        return now + timedelta(seconds=leeway) >= self.expires_at

    def as_dict(self) -> dict:
        return {"access_token": self.access_token, "refresh_token": self.refresh_token,
                "expires_at": self.expires_at.isoformat(), "scope": self.scope, "token_type": self.token_type}

    @classmethod
    def from_dict(cls, stored: Mapping) -> TokenSet:
        return cls(stored["access_token"], stored["refresh_token"], datetime.fromisoformat(stored["expires_at"]),
                   stored.get("scope", ""), stored.get("token_type", "Bearer"))


class NmbrsRestOAuth:
    """The OAuth steps against one environment with one registered client."""

    def __init__(self, environment: NmbrsRestEnvironment, client_id: str, client_secret: str, redirect_uri: str,
                 *, requested_scopes: tuple[str, ...] = scopes.REQUESTED, timeout: float = DEFAULT_TIMEOUT,
                 transport: httpx2.BaseTransport | None = None):
        self.environment = environment
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.requested_scopes = requested_scopes
        self.timeout = timeout
        self.transport = transport

    def _client(self) -> OAuth2Client:
        kwargs = {"transport": self.transport} if self.transport is not None else {"verify": tls_context()}
        return OAuth2Client(client_id=self.client_id, client_secret=self.client_secret,
                            token_endpoint_auth_method="client_secret_post", redirect_uri=self.redirect_uri,
                            scope=" ".join(self.requested_scopes), timeout=self.timeout, **kwargs)

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """(URL to send the person to, state). Keep the state in their session and check it on return."""
        state = state or secrets.token_urlsafe(32)
        with self._client() as client:
            return client.create_authorization_url(self.environment.authorize_url, state=state)

    def exchange_code(self, code: str) -> TokenSet:
        """The code from the redirect -> tokens. MissingScope when Nmbrs granted less than asked for."""
        tokens = self._token_call("authorization code", lambda c: c.fetch_token(
            self.environment.token_url, grant_type="authorization_code", code=code))
        if lacking := scopes.missing(tokens.scope):
            raise MissingScope(f"Nmbrs granted the portal fewer permissions than it needs: {', '.join(lacking)} "
                               "missing. Connect Nmbrs again and allow them all.", scope=lacking[0])
        return tokens

    def refresh(self, refresh_token: str) -> TokenSet:
        """One refresh, never retried. GrantRevoked: this refresh token is used up or the grant revoked."""
        return self._token_call("refresh token", lambda c: c.refresh_token(
            self.environment.token_url, refresh_token=refresh_token), kept_refresh_token=refresh_token)

    def _token_call(self, what: str, call, *, kept_refresh_token: str | None = None) -> TokenSet:
        try:
            with self._client() as client:
                token = call(client)
        except AuthlibOAuthError as exc:
            raise _oauth_error(what, exc.error or "", exc.description or "") from exc
        except httpx2.TimeoutException as exc:
            raise OAuthTransientError(f"Nmbrs' identity service did not answer in time ({what}).",
                                      error="timeout") from exc
        except httpx2.HTTPStatusError as exc:
            status = exc.response.status_code
            cls = OAuthTransientError if status == 429 or status >= 500 else OAuthError
            raise cls(f"Nmbrs' identity service answered HTTP {status} ({what}).", error="http_error",
                      status=status) from exc
        except httpx2.TransportError as exc:
            raise OAuthTransientError(f"Could not reach Nmbrs' identity service ({what}): {exc}.",
                                      error="network") from exc
        except ValueError as exc:  # authlib: the body is not a JSON object
            raise OAuthTransientError(f"Nmbrs' identity service answered something unreadable ({what}).",
                                      error="invalid_response") from exc
        return TokenSet.from_response(token, kept_refresh_token=kept_refresh_token)


def _oauth_error(what: str, error: str, description: str) -> OAuthError:
    detail = f" Nmbrs says: {description}" if description else ""
    if error == "invalid_grant":
        return GrantRevoked(f"Nmbrs no longer accepts this {what} (invalid_grant): used already, expired or "
                            f"revoked.{detail}", error=error, description=description)
    if error == "invalid_scope":
        return MissingScope(f"Nmbrs refused the scopes the portal asks for (invalid_scope).{detail}",
                            scope="", title=error)
    if error in ("temporarily_unavailable", "server_error"):
        return OAuthTransientError(f"Nmbrs' identity service is temporarily unavailable ({error}).{detail}",
                                   error=error, description=description)
    return OAuthError(f"Nmbrs refused the {what} ({error or 'unknown error'}).{detail}", error=error,
                      description=description)


def parse_callback(params: Mapping[str, str], expected_state: str | None) -> str:
    """The authorization code from Nmbrs' redirect back to the portal, or a typed error (state first)."""
    state = params.get("state") or ""
    if not expected_state or not secrets.compare_digest(state, expected_state):
        raise StateMismatch("The answer from Nmbrs does not belong to this attempt (state mismatch).",
                            error="state_mismatch")
    error = params.get("error")
    if error == "access_denied":
        raise ConsentDenied("Access was not granted at Nmbrs.", error=error,
                            description=params.get("error_description", ""))
    if error:
        raise _oauth_error("authorisation", error, params.get("error_description", ""))
    if not params.get("code"):
        raise OAuthError("Nmbrs sent the person back without an authorization code.", error="missing_code")
    return params["code"]
