"""The Nmbrs SOAP v3 client (zeep).

- One parsed zeep client per (base URL, service) per process: parsing a WSDL is slow and the
  WSDL is the same for every tenant, so credentials and the operation timeout travel per call,
  never in the cached client.
- Every call carries `AuthHeaderWithDomain` (Username = login e-mail, Token = API token,
  Domain = tenant key), docs/vendors/nmbrs.md.
- Faults become typed errors via `errors.parse_fault` (the one place that reads fault texts);
  fault 1006 (a transient login failure) and any fault code Nmbrs does not document (or 9999, its
  "unknown error") are tried a bounded number of times within the call; an unknown code that
  persists is then permanent (errors.UnknownNmbrsError), never retried forever.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault, TransportError, XMLParseError, XMLSyntaxError
from zeep.exceptions import ValidationError as ZeepValidationError
from zeep.transports import Transport

from connectors.nmbrs.environments import (
    COMPANY_SERVICE,
    DEBTOR_SERVICE,
    LIVE,
    namespace,
    service_url,
    wsdl_url,
)
from connectors.nmbrs.errors import (
    LoginTemporarilyFailed,
    NmbrsBadResponse,
    NmbrsError,
    NmbrsUnavailable,
    UnknownNmbrsError,
    parse_fault,
)
from connectors.nmbrs.records import Company, Debtor, Run, WageTaxReturn

log = logging.getLogger(__name__)

HEADER = "AuthHeaderWithDomain"
WSDL_TIMEOUT = 30.0
OPERATION_TIMEOUT = 120.0  # all payslips of a run come back as one (large) base64 PDF
ATTEMPTS_ON_1006 = 3  # also the bound for unknown fault codes
RETRY_DELAY = 1.0
_ZEEP_FAILURES = (Fault, TransportError, requests.RequestException, XMLSyntaxError, XMLParseError,
                  etree.XMLSyntaxError, ZeepValidationError)


@dataclass(frozen=True)
class NmbrsCredentials:
    username: str  # the login e-mail ("Client ID", docs/vendors/nmbrs.md)
    token: str = field(repr=False)  # the API token ("Client Secret"): never logged or shown
    tenant_key: str = ""  # the subdomain ("Tenant Key"); see credentials.normalize_tenant_key


@dataclass
class _ParsedService:
    client: zeep.Client
    proxy: object
    header: object


# The timeout of the operation being called in this thread (or asyncio task); None outside a call.
_operation_timeout: ContextVar[float | None] = ContextVar("nmbrs_operation_timeout", default=None)


class _PerCallTimeoutTransport(Transport):
    """A zeep transport shared by every client of a (base URL, service), whose operation timeout is
    the calling client's own. zeep reads `operation_timeout` on each POST; here it comes from a context
    variable, so concurrent calls with different timeouts never see each other's (zeep's own
    `Transport.settings(timeout=...)` changes one attribute shared by every thread)."""

    @property
    def operation_timeout(self) -> float | None:
        timeout = _operation_timeout.get()
        return OPERATION_TIMEOUT if timeout is None else timeout

    @operation_timeout.setter
    def operation_timeout(self, value: float | None) -> None:
        _operation_timeout.set(value)  # zeep's __init__ and settings() write it; per context, like reads


@contextmanager
def operation_timeout(seconds: float):
    """Calls made inside use `seconds` as their (connect and read) timeout."""
    token = _operation_timeout.set(seconds)
    try:
        yield
    finally:
        _operation_timeout.reset(token)


_parsed: dict[tuple[str, str], _ParsedService] = {}
_parse_locks: dict[tuple[str, str], threading.Lock] = {}
_parse_locks_lock = threading.Lock()  # guards _parse_locks only: never held while fetching a WSDL


def _own_connections_after_fork() -> None:
    # The parsed clients post through their transport's requests.Session, which keeps connections alive.
    # A forked process (a Celery pool process) must not post on its parent's: two processes writing on
    # one socket would mix their requests and read each other's answers. The child keeps the parsed
    # WSDLs and opens connections of its own; the locks are new (another thread may have held one).
    global _parse_locks_lock
    for parsed in _parsed.values():
        parsed.client.transport.session = requests.Session()
    _parse_locks.clear()
    _parse_locks_lock = threading.Lock()


os.register_at_fork(after_in_child=_own_connections_after_fork)


def _load(base_url: str, service: str) -> _ParsedService:
    """The parsed client of (base URL, service), parsed once per process. A lock per key: a slow or
    dead host only blocks callers of that same WSDL, never those of other services or hosts."""
    key = (base_url, service)
    parsed = _parsed.get(key)
    if parsed is not None:
        return parsed
    with _parse_locks_lock:
        lock = _parse_locks.setdefault(key, threading.Lock())
    with lock:
        parsed = _parsed.get(key)
        if parsed is None:  # not parsed meanwhile by the caller we waited for
            parsed = _parse(base_url, service)
            _parsed[key] = parsed
        return parsed


def _parse(base_url: str, service: str) -> _ParsedService:
    transport = _PerCallTimeoutTransport(session=requests.Session(), timeout=WSDL_TIMEOUT)
    settings = zeep.Settings(strict=True, xml_huge_tree=True)
    try:
        client = zeep.Client(wsdl_url(base_url, service), transport=transport, settings=settings)
    except requests.RequestException as exc:
        raise NmbrsUnavailable(f"Could not load the Nmbrs {service} description from "
                               f"{wsdl_url(base_url, service)}: {exc}", operation="WSDL") from exc
    except (XMLSyntaxError, XMLParseError, etree.XMLSyntaxError, TransportError) as exc:
        raise NmbrsBadResponse(f"The Nmbrs {service} description at {wsdl_url(base_url, service)} is "
                               f"not a readable WSDL: {exc}", operation="WSDL") from exc
    ns = namespace(service)
    # Bind to the configured host, whatever address the WSDL itself names.
    proxy = client.create_service(f"{{{ns}}}{service}Soap", service_url(base_url, service))
    return _ParsedService(client, proxy, client.get_element(f"{{{ns}}}{HEADER}"))


def forget_parsed_services() -> None:
    """Drop the per-process cache (tests that restart a sandbox on another port)."""
    with _parse_locks_lock:
        _parsed.clear()


class NmbrsClient:
    """Calls Nmbrs for one set of credentials. Thread-safe; cheap to create per task."""

    def __init__(self, credentials: NmbrsCredentials, base_url: str = LIVE, *,
                 timeout: float = OPERATION_TIMEOUT, attempts_on_1006: int = ATTEMPTS_ON_1006,
                 retry_delay: float = RETRY_DELAY, sleep=time.sleep):
        self.credentials = credentials
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.attempts_on_1006 = max(1, attempts_on_1006)
        self.retry_delay = retry_delay
        self._sleep = sleep

    # --- the one way every operation is called -------------------------------------------------
    def call(self, service: str, operation: str, **params):
        parsed = _load(self.base_url, service)
        header = parsed.header(Username=self.credentials.username, Token=self.credentials.token,
                               Domain=self.credentials.tenant_key)
        for attempt in range(1, self.attempts_on_1006 + 1):
            started, outcome = time.perf_counter(), "unexpected"
            try:
                with operation_timeout(self.timeout):
                    result = getattr(parsed.proxy, operation)(**params, _soapheaders=[header])
                outcome = "ok"
                return result
            except _ZEEP_FAILURES as exc:
                error = self._translate(exc, service, operation)
                outcome = type(error).__name__
            finally:
                _log_call(f"{service}.{operation}", time.perf_counter() - started, outcome)
            if isinstance(error, (LoginTemporarilyFailed, UnknownNmbrsError)) and attempt < self.attempts_on_1006:
                self._sleep(self.retry_delay * attempt)
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, exc: Exception, service: str, operation: str) -> NmbrsError:
        where = f"{service}.{operation}"
        if isinstance(exc, Fault):
            error = parse_fault(exc.message or "", operation, service)
        elif isinstance(exc, TransportError):
            if exc.status_code == 200:
                error = NmbrsBadResponse(f"Nmbrs answered {where} with unreadable XML "
                                         f"(HTTP {exc.status_code}); try again later.", operation=operation)
            else:
                error = NmbrsUnavailable(f"Nmbrs answered {where} with HTTP {exc.status_code} and no SOAP "
                                         f"fault; the service is probably down, try again later.",
                                         operation=operation)
        elif isinstance(exc, requests.Timeout):
            error = NmbrsUnavailable(f"Nmbrs did not answer {where} within {self.timeout:g} s; try again "
                                     f"later.", operation=operation)
        elif isinstance(exc, requests.RequestException):
            error = NmbrsUnavailable(f"The connection to Nmbrs failed during {where} ({exc.__class__.__name__}); "
                                     f"try again later.", operation=operation)
        else:
            error = NmbrsBadResponse(f"Nmbrs answered {where} with XML that does not match its WSDL: {exc}",
                                     operation=operation)
        error.__cause__ = exc
        return error

    # --- listing operations (typed) -----------------------------------------------------------
    def debtors(self) -> list[Debtor]:
        return [Debtor.from_soap(d) for d in _items(self.call(DEBTOR_SERVICE, "List_GetAll"), "Debtor")]

    def companies(self, debtor_id: int | None = None) -> list[Company]:
        if debtor_id is None:
            result = self.call(COMPANY_SERVICE, "List_GetAll")
        else:
            result = self.call(COMPANY_SERVICE, "List_GetByDebtor", DebtorId=debtor_id)
        return [Company.from_soap(c) for c in _items(result, "Company")]

    def runs(self, company_id: int, year: int) -> list[Run]:
        result = self.call(COMPANY_SERVICE, "Run_GetList", CompanyId=company_id, Year=year)
        return [Run.from_soap(r) for r in _items(result, "RunInfo")]

    def wage_tax_returns(self, company_id: int, year: int) -> list[WageTaxReturn]:
        """All returns of a year: Nmbrs has no status filter here, callers filter (docs/vendors/nmbrs.md)."""
        result = self.call(COMPANY_SERVICE, "WageTax_GetList", CompanyId=company_id, intYear=year)
        return [WageTaxReturn.from_soap(w) for w in _items(result, "WageTax")]


def _items(result, item_name: str) -> list:
    """zeep gives an ArrayOfX as a list, as an object holding the list, or None when empty."""
    if result is None:
        return []
    if isinstance(result, list):
        return result
    inner = getattr(result, item_name, None)
    if inner is None and isinstance(result, dict):
        inner = result.get(item_name)
    return list(inner or [])


def pdf_bytes(result, operation: str) -> bytes:
    """A `Payslip`/`SalaryDocument` result (one base64 `PDF` field) -> the PDF bytes."""
    value = result if isinstance(result, bytes | bytearray) else getattr(result, "PDF", None)
    if value is None and isinstance(result, dict):
        value = result.get("PDF")
    if not value:
        raise NmbrsBadResponse(f"Nmbrs answered {operation} without a PDF.", operation=operation)
    if not bytes(value).startswith(b"%PDF"):
        raise NmbrsBadResponse(f"Nmbrs answered {operation} with content that is not a PDF.", operation=operation)
    return bytes(value)


def text_bytes(result, operation: str) -> bytes:
    """A string result holding an XML document -> its UTF-8 bytes."""
    if not result or not str(result).strip():
        raise NmbrsBadResponse(f"Nmbrs answered {operation} with an empty document.", operation=operation)
    return str(result).encode("utf-8")


def _log_call(operation: str, seconds: float, outcome: str) -> None:
    # One record per call, for the portal's metrics (`vendor_call`); never parameters or answers.
    log.debug("nmbrs %s duration_ms=%.1f outcome=%s", operation, seconds * 1000, outcome,
              extra={"vendor_call": ("nmbrs", operation, seconds, outcome)})
