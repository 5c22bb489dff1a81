"""`YukiConnection`: one access key (or user name) at one Yuki host, for one Yuki domain; what every
operation goes through (yuki_client.client.YukiClient adds the operations).

Every call goes through `_send`: call budget first (refused calls are never sent), then zeep + httpx2,
typed errors, one log line. Session-bearing calls go through `call`, which reuses the stored session
ID and re-authenticates once on an expired-session fault (safe for writes: a fault means Yuki did
not process the request).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

import httpx2

from yuki_client.budget import DEFAULT_DAILY_BUDGET, CallBudget
from yuki_client.endpoints import WRITE_OPERATIONS, Service, base_url, service_url, session_parameter
from yuki_client.errors import (
    AmbiguousWriteError,
    InvalidAccessKeyError,
    NotSentError,
    SessionExpiredError,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiError,
)
from yuki_client.soap import SoapTransportError, invoke, prepare, service_client, shared_http
from yuki_client.store import MemoryStore, YukiStore, fingerprint

logger = logging.getLogger("yuki_client")

# Yuki sessions reportedly last about 24 hours (docs/vendors/yuki.md); renew well before that.
SESSION_TTL_SECONDS = 20 * 3600
DEFAULT_TIMEOUT_SECONDS = 60.0


class YukiConnection:
    def __init__(self, endpoint: str, access_key: str | None = None, *, domain_id: str,
                 store: YukiStore | None = None, daily_budget: int = DEFAULT_DAILY_BUDGET,
                 timeout: float = DEFAULT_TIMEOUT_SECONDS, session_ttl: int = SESSION_TTL_SECONDS,
                 user_name: str | None = None, password: str | None = None,
                 wsdl_cache_dir: str | Path | None = None, http: httpx2.Client | None = None, clock=None):
        """`endpoint`: 'NL', 'BE' or a base URL (the sandbox). Authenticate with `access_key`, or with
        `user_name` + `password` (AuthenticateByUserName). `domain_id`: the Yuki domain whose daily call
        count this client's calls go to. `store`: shared sessions and counts (the portal's database store across workers)."""
        self.base_url = base_url(endpoint)
        if access_key:
            self._credential = ("Authenticate", {"accessKey": access_key})
            self._fingerprint = fingerprint(self.base_url, "accessKey", access_key)
        elif user_name and password:
            self._credential = ("AuthenticateByUserName", {"userName": user_name, "password": password})
            self._fingerprint = fingerprint(self.base_url, "userName", user_name, password)
        else:
            raise YukiConfigurationError("A Yuki access key (or a user name and password) is required.")
        if not domain_id:
            raise YukiConfigurationError("The Yuki domain ID is required: API calls are counted per domain.")
        self.domain_id = domain_id
        self.store = store if store is not None else MemoryStore()
        self.budget = CallBudget(self.store, domain_id, daily_budget, clock)
        self.timeout = timeout
        self.session_ttl = session_ttl
        self.wsdl_cache_dir = wsdl_cache_dir
        self.http = http or shared_http()
        self._secrets = tuple(s for s in (access_key, password) if s)

    def calls_today(self) -> int:
        """Calls counted today (Europe/Amsterdam) for this client's domain, by every worker."""
        return self.budget.used_today()

    @property
    def daily_budget(self) -> int:
        return self.budget.daily_budget

    def session_id(self, service: Service = Service.ACCOUNTING) -> str:
        """The shared session ID for these credentials; authenticates only when none is stored."""
        return self.store.get_session(self._fingerprint) or self.authenticate(service)

    def authenticate(self, service: Service = Service.ACCOUNTING) -> str:
        """Opens a new session (Authenticate / AuthenticateByUserName) and offers it to the store. When
        another worker stored a live session meanwhile, that one wins and is returned: workers that
        sign in at the same moment all use one session."""
        operation, params = self._credential
        session_id = self._send(service, operation, params)
        if not session_id:
            raise InvalidAccessKeyError("Yuki returned no session for these credentials. Check the access key "
                                        "in Yuki (Settings > API keys / Webservices).", operation=operation)
        return self.store.add_session(self._fingerprint, session_id, self.session_ttl)

    def call(self, service: Service, operation: str, params: dict | None = None, *, administration_id: str = ""):
        """Call any operation that takes a session ID (inserted first, with the operation's casing)."""
        params = params or {}
        self._require_declared(service, operation)  # before signing in: an unknown name costs no call
        with _before_sending(operation):
            session_id = self.session_id(service)
        try:
            return self._send(service, operation, {session_parameter(operation): session_id, **params},
                              administration_id)
        except SessionExpiredError:
            # A fault: Yuki did not process the call, so what fails from here on is still "not sent".
            with _before_sending(operation):
                self.store.drop_session(self._fingerprint, session_id)
        # Another worker may have renewed the session already: use theirs rather than sign in again.
        with _before_sending(operation):
            session_id = self.session_id(service)
        try:
            return self._send(service, operation, {session_parameter(operation): session_id, **params},
                              administration_id)
        except SessionExpiredError as exc:
            raise SessionExpiredError(
                f"Yuki reported the session as expired even right after signing in again ({exc.fault_message}). "
                "Try again later; if it keeps happening, create a new access key in Yuki.",
                operation=operation) from exc

    def _send(self, service: Service, operation: str, params: dict, administration_id: str = ""):
        started = time.perf_counter()
        outcome = "not_sent"
        try:
            with _before_sending(operation):
                # Before counting: reading the WSDL and building the envelope send nothing to Yuki.
                client = service_client(self.base_url, service, self.wsdl_cache_dir)
                address = service_url(self.base_url, service)
                prepared = prepare(client, address, operation, params)
                self.budget.reserve(operation)
            result = invoke(self.http, client, address, operation, prepared, self.timeout)
            outcome = "ok"
            return result
        except SoapTransportError as exc:
            if exc.request_sent and operation in WRITE_OPERATIONS:
                outcome = "ambiguous_write"
                raise AmbiguousWriteError(
                    f"{operation} may have been processed by Yuki: {exc.message} The request had been sent, "
                    "so it is not retried automatically. Check in Yuki whether it was booked before sending "
                    "it again.", operation=operation, cause=exc) from exc
            outcome = type(exc).__name__
            raise
        except YukiDailyLimitReached as exc:
            outcome = type(exc).__name__
            self.budget.limit_reached(operation)  # no worker calls Yuki for this domain again today
            raise
        except Exception as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self._log(service, operation, administration_id, time.perf_counter() - started, outcome)

    def _require_declared(self, service: Service, operation: str) -> None:
        try:
            service_client(self.base_url, service, self.wsdl_cache_dir).service._binding.get(operation)
        except ValueError as exc:
            self._log(service, operation, "", 0.0, UnknownOperationError.__name__)
            raise UnknownOperationError(f"The Yuki {service.value} service does not declare {operation}; "
                                        "nothing was sent.", operation=operation) from exc

    def _log(self, service: Service, operation: str, administration_id: str, seconds: float, outcome: str):
        # Only these fields are logged: never the access key, password, session ID or document contents.
        logger.log(logging.INFO if outcome == "ok" else logging.WARNING,
                   "yuki %s.%s administration=%s domain=%s duration_ms=%.1f outcome=%s",
                   service.value, operation, administration_id or "-", self.domain_id, seconds * 1000,
                   outcome, extra={"yuki_service": service.value, "yuki_operation": operation,
                                   "yuki_administration": administration_id, "yuki_outcome": outcome,
                                   "yuki_duration_ms": round(seconds * 1000, 1),
                                   "vendor_call": ("yuki", f"{service.value}.{operation}", seconds, outcome)})


@contextmanager
def _before_sending(operation: str):
    """A phase that runs before the request leaves us (the session from the store, counting the call):
    whatever fails in it, nothing reached Yuki. A failure of the store itself (the portal's database
    restarting, say) becomes NotSentError, so the caller knows it may simply try again."""
    try:
        yield
    except YukiError:
        raise  # already says whether it was sent
    except Exception as exc:  # noqa: BLE001 - the store is the caller's; any failure of it is "not sent"
        raise NotSentError(f"{operation} was not sent: the Yuki client's store failed before the call "
                           f"({type(exc).__name__}: {exc}). Nothing reached Yuki; it can be tried again.",
                           operation=operation, cause=exc) from exc
