"""Rotating refresh tokens: the rule, and an in-memory token provider for scripts and tests.

The portal's provider does the same under a database row lock (one per connection) and stores the
new pair in the same transaction as the refresh (docs/vendors/loket.md, "Authorisation"). `refresh_rotating` is the
part both share, so the lead's locked code is: lock row, read token, `refresh_rotating(...)`, save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from connectors.loket.errors import ConnectionBroken, InvalidGrant
from connectors.loket.oauth import LoketOAuth, TokenSet


def refresh_rotating(oauth: LoketOAuth, stored: TokenSet, reread: Callable[[], TokenSet | None]) -> TokenSet:
    """Refresh `stored`; after invalid_grant re-read the stored token once before giving up.

    Another worker (or a refresh whose answer we lost) may have rotated the token: if the stored one
    changed meanwhile, use it (refreshing it if its access token is stale). Only when the store still
    holds the rejected token is the connection broken: a person has to authorise Loket again.
    OAuthTransientError passes through: the stored token is untouched, so a later try may work.
    """
    try:
        return oauth.refresh(stored.refresh_token)
    except InvalidGrant as first:
        current = reread()
        if current is None or current.refresh_token == stored.refresh_token:
            raise ConnectionBroken("Loket no longer accepts the stored authorisation (the refresh token was "
                                   "rejected). Click \"Verbind met Loket\" to authorise the portal again.",
                                   error="invalid_grant", description=first.description) from first
        if not current.is_expired():
            return current
        try:
            return oauth.refresh(current.refresh_token)
        except InvalidGrant as second:
            raise ConnectionBroken("Loket no longer accepts the stored authorisation (the refresh token was "
                                   "rejected twice). Click \"Verbind met Loket\" to authorise the portal again.",
                                   error="invalid_grant", description=second.description) from second


class MemoryTokenProvider:
    """A token provider for `LoketClient`, holding the pair in memory under a thread lock.

    `provider()` returns a valid access token, refreshing when it is about to expire;
    `provider(force_refresh=True)` refreshes regardless (the client does this once after a 401).
    `on_refresh(tokens)` is called with each new pair, e.g. to persist it.
    """

    def __init__(self, oauth: LoketOAuth, tokens: TokenSet,
                 on_refresh: Callable[[TokenSet], None] | None = None):
        self.oauth = oauth
        self.tokens = tokens
        self.on_refresh = on_refresh
        self.refreshes = 0
        self._lock = threading.Lock()

    def __call__(self, force_refresh: bool = False) -> str:
        with self._lock:
            seen = self.tokens
            if force_refresh or seen.is_expired():
                self.tokens = refresh_rotating(self.oauth, seen, lambda: self.tokens)
                self.refreshes += 1
                if self.on_refresh is not None:
                    self.on_refresh(self.tokens)
            return self.tokens.access_token
