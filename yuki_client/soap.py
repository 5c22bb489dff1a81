"""SOAP plumbing: zeep clients parsed once per process, envelopes sent with httpx2.

zeep builds each envelope from the WSDL and parses each answer; httpx2 sends it, so that we know
exactly how a call failed: not sent at all (connect error: safe to retry) or sent and then lost
(read timeout, dropped connection, garbage answer: a write may have been booked).

WSDLs are downloaded once per `wsdl_cache_dir` (zeep SqliteCache, kept a week) and parsed once per
(base URL, service) per process (`_CLIENTS`), so a worker never re-parses a WSDL per call.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

import httpx2
import requests
import zeep
from lxml import etree
from zeep.cache import SqliteCache
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, XMLParseError
from zeep.exceptions import TransportError as ZeepTransportError
from zeep.wsdl.utils import etree_to_string

from yuki_client import fault_texts
from yuki_client.endpoints import Service, wsdl_url
from yuki_client.errors import (
    InvalidAccessKeyError,
    SessionExpiredError,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiError,
    YukiFault,
    YukiTimeout,
    YukiTransportError,
)

WSDL_CACHE_SECONDS = 7 * 24 * 3600
WSDL_DOWNLOAD_TIMEOUT = 30

_CLIENTS: dict[tuple[str, Service], zeep.Client] = {}
_CLIENTS_LOCK = threading.Lock()
_wsdl_parses = 0
_HTTP: httpx2.Client | None = None


class SoapTransportError(YukiTransportError):
    """Transport failure; `request_sent` says whether Yuki may have received the request."""

    def __init__(self, message: str, *, operation: str = "", request_sent: bool = True):
        super().__init__(message, operation=operation)
        self.request_sent = request_sent


class SoapTimeout(SoapTransportError, YukiTimeout):
    pass


def default_cache_dir() -> Path:
    configured = os.environ.get("YUKI_WSDL_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "payrollsync" / "yuki-wsdl"


def wsdl_parse_count() -> int:
    """How many WSDLs this process has parsed (one per base URL and service is the target)."""
    return _wsdl_parses


def clear_client_cache() -> None:
    """Forget the parsed WSDLs (tests only: the next call parses again, from the disk cache)."""
    with _CLIENTS_LOCK:
        _CLIENTS.clear()


def service_client(base: str, service: Service, cache_dir: Path | str | None = None) -> zeep.Client:
    """The process-wide zeep client of one Yuki service; parses its WSDL on first use only."""
    global _wsdl_parses
    key = (base, service)
    client = _CLIENTS.get(key)
    if client is not None:
        return client
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            directory = Path(cache_dir) if cache_dir else default_cache_dir()
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise YukiConfigurationError(
                    f"The WSDL cache folder {directory} cannot be created ({exc.strerror}): set YUKI_WSDL_CACHE_DIR "
                    "to a folder the portal may write to.", operation="WSDL") from exc
            transport = zeep.Transport(cache=SqliteCache(path=str(directory / "wsdl.sqlite"),
                                                         timeout=WSDL_CACHE_SECONDS),
                                       timeout=WSDL_DOWNLOAD_TIMEOUT)
            try:
                client = zeep.Client(wsdl_url(base, service), transport=transport)
            except requests.RequestException as exc:
                raise SoapTransportError(
                    f"Could not download the Yuki {service.value} service description from {base}: {exc}. "
                    "Check the Yuki address and the network.", request_sent=False) from exc
            except (ZeepError, etree.XMLSyntaxError) as exc:
                raise SoapTransportError(
                    f"The Yuki {service.value} service description at {base} could not be read: {exc}.",
                    request_sent=False) from exc
            _wsdl_parses += 1
            _CLIENTS[key] = client
    return client


def shared_http() -> httpx2.Client:
    """One connection pool per process for all SOAP posts: its connections are kept alive across calls."""
    global _HTTP
    if _HTTP is None:
        with _CLIENTS_LOCK:
            if _HTTP is None:
                _HTTP = httpx2.Client(http2=False, follow_redirects=False)
    return _HTTP


def _forget_http_in_child() -> None:
    # A forked process (a Celery pool process, say) must not post on its parent's kept-alive connections:
    # two processes writing on one socket would mix their requests and read each other's answers. The
    # child starts a pool of its own; the parent's sockets are left to the parent (not closed from here).
    global _HTTP, _CLIENTS_LOCK
    _HTTP = None
    _CLIENTS_LOCK = threading.Lock()  # another thread may have held it at the fork
    for client in _CLIENTS.values():  # their WSDL downloads' session may keep a connection alive too
        client.transport.session = requests.Session()


def _close_http() -> None:
    if _HTTP is not None:
        _HTTP.close()


os.register_at_fork(after_in_child=_forget_http_in_child)
atexit.register(_close_http)


def prepare(client: zeep.Client, address: str, operation: str, params: dict) -> tuple[bytes, dict]:
    """The envelope and headers of one call, built from the WSDL before anything is counted or sent.
    An operation the service does not declare, or parameters that do not fit it, is our bug: zeep's
    plain ValueError/TypeError becomes UnknownOperationError (never counted, never logged as ok)."""
    binding = client.service._binding
    try:
        binding.get(operation)
        # zeep's own send() does exactly this, then posts with requests; we post with httpx2 instead.
        envelope, headers = binding._create(operation, (), params, client=client, options={"address": address})
    except (ValueError, TypeError, ZeepError) as exc:
        raise UnknownOperationError(
            f"The Yuki service at {address} does not declare {operation} with these parameters ({exc}); "
            "nothing was sent.", operation=operation) from exc
    return etree_to_string(envelope), headers


def invoke(http: httpx2.Client, client: zeep.Client, address: str, operation: str, prepared: tuple[bytes, dict],
           timeout: float):
    """Send one prepared operation and return zeep's parsed result. Raises YukiFault (or the typed
    kind its text stands for), SoapTimeout or SoapTransportError."""
    binding = client.service._binding
    body, headers = prepared
    try:
        response = http.post(address, content=body, headers=headers, timeout=timeout)
    except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
        raise SoapTransportError(f"Could not connect to Yuki for {operation}: {exc or type(exc).__name__}.",
                                 operation=operation, request_sent=False) from exc
    except httpx2.TimeoutException as exc:
        raise SoapTimeout(f"Yuki did not answer {operation} within {timeout:g} seconds.",
                          operation=operation) from exc
    except httpx2.TransportError as exc:
        raise SoapTransportError(f"The connection to Yuki was lost during {operation}: "
                                 f"{exc or type(exc).__name__}.", operation=operation) from exc
    try:
        return binding.process_reply(client, binding.get(operation), response)
    except Fault as fault:
        raise fault_error(operation, fault.message or "") from fault
    except (ZeepTransportError, XMLParseError, etree.XMLSyntaxError) as exc:
        raise SoapTransportError(
            f"Yuki answered {operation} with HTTP {response.status_code} and no readable SOAP response.",
            operation=operation) from exc


def fault_error(operation: str, fault_message: str) -> YukiError:
    """The typed error for a fault text (matching lives in fault_texts)."""
    kind = fault_texts.fault_kind(fault_message)
    text = fault_texts.yuki_message(fault_message)
    if kind is None:
        return YukiFault(f"Yuki refused {operation}: {text}", operation=operation, fault_message=text)
    error = kind(_GUIDANCE[kind].format(operation=operation, text=text), operation=operation)
    error.fault_message = text
    return error


_GUIDANCE = {
    InvalidAccessKeyError: "Yuki rejected the credentials ({text}). Create a new API key in Yuki "
                           "(Settings > API keys / Webservices) for this administration and enter it in the portal.",
    SessionExpiredError: "Yuki reported the session as expired during {operation} ({text}).",
    YukiDailyLimitReached: "Yuki refused {operation}: the daily limit of API calls for this Yuki domain is "
                           "reached ({text}). The limit is shared by every application linked to the domain; "
                           "calls work again tomorrow.",
}
