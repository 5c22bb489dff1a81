"""Loket OAuth2 (authorization code, rotating refresh tokens) on top of authlib's httpx_client integration (which runs on httpx2).

docs/vendors/loket.md: authorize with response_type=code&scope=all&state=...; the token endpoint takes
client_id/client_secret in the form body; answers carry access_token, refresh_token, expires_in (3599 s).
No PKCE, no discovery document. Refresh tokens are single-use: a refresh is never retried here
(the first try may have rotated the token already); the caller holds the per-connection lock and
decides, see `tokens.refresh_rotating`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx2
from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
from authlib.integrations.httpx_client import OAuth2Client

from connectors.loket.environments import LoketEnvironment
from connectors.loket.errors import (
    ConsentDenied,
    InvalidGrant,
    OAuthError,
    OAuthTransientError,
    StateMismatch,
)

SCOPE = "all"
DEFAULT_TIMEOUT = 20.0


@dataclass(frozen=True)
class TokenSet:
    """What the lead stores (encrypted) per connection."""

    access_token: str
    refresh_token: str
    expires_at: datetime  # aware, UTC
    token_type: str = "bearer"

    @classmethod
    def from_response(cls, token: Mapping, now: datetime | None = None, *,
                      kept_refresh_token: str | None = None) -> TokenSet:
        """The pair in a token answer. `kept_refresh_token`: the refresh token a refresh was made with,
        kept when the answer carries none (RFC 6749 section 6: the server may issue a new refresh
        token; when it does not, the client keeps the one it has). The code exchange passes none, so
        an answer without a refresh token is refused there: nothing could renew its access token."""
        now = now or datetime.now(UTC)
        access, refresh = token.get("access_token"), token.get("refresh_token") or kept_refresh_token
        if not access or not refresh:
            missing = "access_token" if not access else "refresh_token"
            raise OAuthError(f"Loket's token answer has no {missing}. Try authorising Loket again; "
                             "if it keeps happening, contact Loket support.", error="invalid_response")
        try:
            expires_in = int(token.get("expires_in") or 3599)
        except (TypeError, ValueError):
            expires_in = 3599
        return cls(access_token=str(access), refresh_token=str(refresh),
                   expires_at=now + timedelta(seconds=expires_in),
                   token_type=str(token.get("token_type") or "bearer"))

    def is_expired(self, now: datetime | None = None, leeway: int = 60) -> bool:
        """True when the access token expires within `leeway` seconds: refresh before use."""
        now = now or datetime.now(UTC)
        return now + timedelta(seconds=leeway) >= self.expires_at


class LoketOAuth:
    """The three OAuth steps against one environment with one registered client."""

    def __init__(self, environment: LoketEnvironment, client_id: str, client_secret: str,
                 redirect_uri: str, *, timeout: float = DEFAULT_TIMEOUT,
                 transport: httpx2.BaseTransport | None = None):
        self.environment = environment
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.timeout = timeout
        self.transport = transport

    def _client(self) -> OAuth2Client:
        kwargs = {"transport": self.transport} if self.transport is not None else {}
        return OAuth2Client(client_id=self.client_id, client_secret=self.client_secret,
                            token_endpoint_auth_method="client_secret_post",
                            redirect_uri=self.redirect_uri, timeout=self.timeout, **kwargs)

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """(URL to send the user to, state). Keep the state in the user's session and check it on return."""
        state = state or secrets.token_urlsafe(32)
        with self._client() as client:
            url, state = client.create_authorization_url(self.environment.authorize_url, state=state,
                                                         scope=SCOPE)
        return url, state

    def exchange_code(self, code: str) -> TokenSet:
        return self._token_call("authorization code", lambda c: c.fetch_token(
            self.environment.token_url, grant_type="authorization_code", code=code))

    def refresh(self, refresh_token: str) -> TokenSet:
        """One refresh, never retried. InvalidGrant: this refresh token is used up or revoked.
        Loket rotates the refresh token; an answer without one keeps `refresh_token` (and its new
        access token is used, not thrown away)."""
        return self._token_call("refresh token", lambda c: c.refresh_token(
            self.environment.token_url, refresh_token=refresh_token), kept_refresh_token=refresh_token)

    def _token_call(self, what: str, call, *, kept_refresh_token: str | None = None) -> TokenSet:
        try:
            with self._client() as client:
                token = call(client)
        except AuthlibOAuthError as exc:
            raise _oauth_error(what, exc.error or "", exc.description or "") from exc
        except httpx2.TimeoutException as exc:
            raise OAuthTransientError(f"Loket's login service did not answer in time ({what}). "
                                      "Try again in a few minutes.", error="timeout") from exc
        except httpx2.HTTPStatusError as exc:
            status = exc.response.status_code
            if status == 429 or status >= 500:
                raise OAuthTransientError(f"Loket's login service is unavailable (HTTP {status}, {what}). "
                                          "Try again in a few minutes.", error="server_error",
                                          status=status) from exc
            raise OAuthError(f"Loket's login service refused the {what} with HTTP {status}.",
                             error="http_error", status=status) from exc
        except httpx2.TransportError as exc:
            raise OAuthTransientError(f"Could not reach Loket's login service ({what}): {exc}. "
                                      "Check the network and try again.", error="network") from exc
        except ValueError as exc:  # authlib: body is not a JSON object
            raise OAuthTransientError(f"Loket's login service answered something unreadable ({what}). "
                                      "Try again in a few minutes.", error="invalid_response") from exc
        return TokenSet.from_response(token, kept_refresh_token=kept_refresh_token)


def _oauth_error(what: str, error: str, description: str) -> OAuthError:
    detail = f" Loket says: {description}" if description else ""
    if error == "invalid_grant":
        return InvalidGrant(f"Loket no longer accepts this {what} (invalid_grant): it was used already, "
                            f"expired or was revoked.{detail}", error=error, description=description)
    if error == "invalid_client":
        return OAuthError("Loket does not recognise the portal's client ID or secret (invalid_client). "
                          f"Check the Loket client credentials in the portal settings.{detail}",
                          error=error, description=description)
    if error in ("temporarily_unavailable", "server_error"):
        return OAuthTransientError(f"Loket's login service is temporarily unavailable ({error}). "
                                   f"Try again in a few minutes.{detail}", error=error, description=description)
    return OAuthError(f"Loket refused the {what} ({error or 'unknown error'}).{detail}",
                      error=error, description=description)


def parse_callback(params: Mapping[str, str], expected_state: str | None) -> str:
    """The authorization code from Loket's redirect back to us, or a typed error.

    Checks `state` first: a mismatch means the answer is not for this session, whatever it says.
    """
    state = params.get("state") or ""
    if not expected_state or not secrets.compare_digest(state, expected_state):
        raise StateMismatch("The answer from Loket does not belong to this login attempt (state mismatch). "
                            "Click \"Verbind met Loket\" again.", error="state_mismatch")
    error = params.get("error")
    if error == "access_denied":
        raise ConsentDenied("Access was not granted at Loket (\"Weigeren\" was clicked). Click \"Verbind met "
                            "Loket\" and choose \"Toestaan\" to connect.", error=error,
                            description=params.get("error_description", ""))
    if error:
        raise _oauth_error("authorisation", error, params.get("error_description", ""))
    code = params.get("code")
    if not code:
        raise OAuthError("Loket sent us back without an authorization code. Click \"Verbind met Loket\" again.",
                         error="missing_code")
    return code
