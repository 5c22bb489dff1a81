"""Access tokens for the client: refreshed with the caller's storage and lock.

The integration owns persistence and locking (a database row lock per connection): it passes `load`
(read the stored pair), `save` (store a new pair, e.g. in the same transaction) and `locked` (a context
manager held around a refresh). Refresh tokens are treated as single-use (docs/vendors/nmbrs-rest.md,
"Authorisation"): after invalid_grant the stored pair is read again once, since another worker may have
refreshed it meanwhile; only when the store still holds the rejected token is the grant gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from connectors.nmbrs_rest.errors import GrantRevoked
from connectors.nmbrs_rest.oauth import NmbrsRestOAuth, TokenSet


def refresh_rotating(oauth: NmbrsRestOAuth, stored: TokenSet, reread: Callable[[], TokenSet | None]) -> TokenSet:
    try:
        return oauth.refresh(stored.refresh_token)
    except GrantRevoked as first:
        current = reread()
        if current is None or current.refresh_token == stored.refresh_token:
            raise
        if not current.is_expired():
            return current
        try:
            return oauth.refresh(current.refresh_token)
        except GrantRevoked:
            raise first from None


class TokenProvider:
    """`provider()` -> a valid access token; `provider(force_refresh=True, rejected=token)` after a 401 (the
    client does this once, naming the token that got it). `refreshes` counts the refreshes this provider made.

    When several threads get a 401 at once, each asks for a refresh and waits on the lock in turn: the first
    refreshes, the others find (after taking the lock, reading the store again) an access token other than
    the one refused that has not expired, and take it without refreshing again."""

    def __init__(self, oauth: NmbrsRestOAuth, load: Callable[[], TokenSet | None], save: Callable[[TokenSet], None],
                 locked: Callable[[], AbstractContextManager] | None = None):
        self.oauth, self.load, self.save = oauth, load, save
        lock = threading.Lock()
        self.locked = locked or (lambda: lock)
        self.refreshes = 0

    def __call__(self, force_refresh: bool = False, rejected: str | None = None) -> str:
        seen = self._stored()
        if not force_refresh and not seen.is_expired():
            return seen.access_token
        # The token to replace: the one refused (the store may already hold a newer one), else the stored one.
        stale = rejected or seen.access_token
        with self.locked():
            current = self._stored()  # under the lock: another thread or worker may have refreshed meanwhile
            if current.access_token != stale and not current.is_expired():
                return current.access_token
            fresh = refresh_rotating(self.oauth, current, self.load)
            self.save(fresh)
            self.refreshes += 1
            return fresh.access_token

    def _stored(self) -> TokenSet:
        tokens = self.load()
        if tokens is None:
            raise GrantRevoked("No Nmbrs authorisation is stored: connect Nmbrs first.", error="no_tokens")
        return tokens


class MemoryTokens:
    """A pair held in memory (scripts, tests): `TokenProvider(oauth, store.load, store.save)`."""

    def __init__(self, tokens: TokenSet | None = None):
        self.tokens = tokens

    def load(self) -> TokenSet | None:
        return self.tokens

    def save(self, tokens: TokenSet) -> None:
        self.tokens = tokens
