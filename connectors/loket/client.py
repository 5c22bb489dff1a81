"""The Loket REST client (httpx2): auth, Accept versioning, paging, retries, typed errors.

It knows nothing of payslips or journals (see fetchers.py); it turns HTTP into JSON, files and
`connectors.loket.errors`. All calls are GETs, so retrying them is safe.
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import httpx2

from connectors.loket import endpoints, responses
from connectors.loket.errors import (
    LoketError,
    LoketForbidden,
    LoketMalformedResponse,
    LoketNotFound,
    LoketRateLimited,
    LoketRequestError,
    LoketTransientError,
    LoketUnauthorized,
    missing_right_for,
)
from connectors.retry_after import retry_after

log = logging.getLogger(__name__)

MAX_PAGES = 1000  # a runaway totalPages must not keep a worker busy forever


class TokenProvider(Protocol):
    def __call__(self, force_refresh: bool = False) -> str: ...


@dataclass(frozen=True)
class LoketFile:
    content: bytes
    media_type: str
    file_name: str = ""


@dataclass(frozen=True)
class Page:
    items: list
    current_page: int
    total_pages: int
    total_size: int


class LoketClient:
    """`LoketClient(env.api_base, token_provider)`; use as a context manager or call `close()`.

    `token_provider()` returns an access token; after a 401 the client calls
    `token_provider(force_refresh=True)` once and repeats the call. Retries: 429 (honouring
    Retry-After up to `max_retry_after`), 5xx, timeouts, dropped connections and unreadable bodies,
    `max_attempts` tries in all with exponential backoff. 401/403/404/4xx are never retried.
    """

    def __init__(self, api_base: str, token_provider: TokenProvider, *, timeout: float = 30.0,
                 max_attempts: int = 4, backoff: float = 0.5, max_backoff: float = 8.0,
                 max_retry_after: float = 30.0, page_size: int | None = endpoints.LIST_PAGE_SIZE,
                 sleep: Callable[[float], None] = time.sleep, transport: httpx2.BaseTransport | None = None):
        self.api_base = api_base.rstrip("/")
        self.token_provider = token_provider
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.page_size = page_size
        self.sleep = sleep
        kwargs = {"transport": transport} if transport is not None else {"verify": _tls_context()}
        self.http = httpx2.Client(timeout=timeout, **kwargs)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> LoketClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- public calls -------------------------------------------------------------------------------

    def get_item(self, path: str, *, params: dict | None = None,
                 version: str = endpoints.DEFAULT_VERSION) -> dict:
        """A single resource: the `content` of Loket's detail envelope."""
        body = self._json(path, params or {}, version)
        content = body.get("content")
        if not isinstance(content, dict):
            raise LoketMalformedResponse(f"Loket's answer for {path} has no 'content' object.", path=path)
        return content

    def get_body(self, path: str, *, version: str = endpoints.DEFAULT_VERSION) -> dict:
        """A whole JSON answer, for resources whose `content` is not one item (metadata)."""
        return self._json(path, {}, version)

    def get_page(self, path: str, *, page_number: int = 1, filter: str | None = None,  # noqa: A002
                 order_by: str | None = None, params: dict | None = None,
                 version: str = endpoints.DEFAULT_VERSION) -> Page:
        query = dict(params or {})
        query["pageNumber"] = page_number
        if self.page_size:
            query["pageSize"] = self.page_size
        if filter:
            query["filter"] = filter
        if order_by:
            query["orderBy"] = order_by
        body = self._json(path, query, version)
        items = body.get("_embedded")
        if not isinstance(items, list):
            raise LoketMalformedResponse(f"Loket's list answer for {path} has no '_embedded' list.", path=path)
        return Page(items=items, current_page=responses.int_or(body.get("currentPage"), page_number),
                    total_pages=responses.int_or(body.get("totalPages"), 1),
                    total_size=responses.int_or(body.get("totalSize"), 0))

    def iter_list(self, path: str, *, filter: str | None = None, order_by: str | None = None,  # noqa: A002
                  params: dict | None = None, version: str = endpoints.DEFAULT_VERSION) -> Iterator[dict]:
        """Every item of a list, page by page (pageNumber 1..totalPages)."""
        page_number = 1
        while True:
            page = self.get_page(path, page_number=page_number, filter=filter, order_by=order_by,
                                 params=params, version=version)
            yield from page.items
            if page_number >= page.total_pages or not page.items or page_number >= MAX_PAGES:
                return
            page_number += 1

    def list_all(self, path: str, **kwargs) -> list[dict]:
        return list(self.iter_list(path, **kwargs))

    def get_file(self, path: str, media: str, *, params: dict | None = None,
                 version: str = endpoints.DEFAULT_VERSION) -> LoketFile:
        """A download (PDF, XML). Checks the bytes look like what was asked for."""

        def parse(response: httpx2.Response) -> LoketFile:
            content = response.content
            if not responses.looks_like(media, content):
                raise LoketMalformedResponse(f"Loket sent something other than {media} for {path}.", path=path,
                                             status=response.status_code)
            media_type = response.headers.get("Content-Type", media).split(";")[0].strip()
            return LoketFile(content=content, media_type=media_type,
                             file_name=responses.file_name(response.headers.get("Content-Disposition", "")))

        return self._request(path, params or {}, endpoints.accept_header(media, version), parse)

    # --- plumbing ----------------------------------------------------------------------------------

    def _json(self, path: str, params: dict, version: str) -> dict:
        def parse(response: httpx2.Response) -> dict:
            try:
                body = response.json()
            except ValueError as exc:
                raise LoketMalformedResponse(f"Loket's answer for {path} is not valid JSON.", path=path,
                                             status=response.status_code) from exc
            if not isinstance(body, dict):
                raise LoketMalformedResponse(f"Loket's answer for {path} is not a JSON object.", path=path)
            return body

        return self._request(path, params, endpoints.accept_header(endpoints.MEDIA_JSON, version), parse)

    def _request(self, path: str, params: dict, accept: str, parse):
        url = self.api_base + path
        fresh_token: str | None = None  # set after a 401: the token to use from then on
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self.max_attempts
            token = fresh_token or self.token_provider()
            started = time.perf_counter()
            try:
                response = self.http.get(url, params=params,
                                         headers={"Authorization": f"Bearer {token}", "Accept": accept})
            except httpx2.TimeoutException as exc:
                _log_call(path, started, "timeout")
                if last:
                    raise LoketTransientError(f"Loket did not answer in time ({path}) after {attempt} tries. "
                                              "Try again later.", path=path) from exc
                self._wait(attempt)
                continue
            except httpx2.TransportError as exc:
                _log_call(path, started, type(exc).__name__)
                if last:
                    raise LoketTransientError(f"Could not reach Loket ({path}): {exc}. Check the network and "
                                              "try again later.", path=path) from exc
                self._wait(attempt)
                continue

            status = response.status_code
            _log_call(path, started, "ok" if status < 400 else f"http_{status}")
            if status == 401 and fresh_token is None:
                # The access token may have expired early or been revoked: one fresh token, one more try.
                fresh_token = self.token_provider(force_refresh=True)
                attempt -= 1
                continue
            if status == 429:
                wait = retry_after(response.headers.get("Retry-After"))
                if last or (wait is not None and wait > self.max_retry_after):
                    raise LoketRateLimited(f"Loket is limiting our calls (HTTP 429 on {path}). The import will "
                                           "be retried later.", retry_after=wait, status=429, path=path)
                self.sleep(wait if wait is not None else self._backoff(attempt))
                continue
            if status >= 500:
                if last:
                    raise LoketTransientError(f"Loket had an internal error (HTTP {status} on {path}) "
                                              f"{attempt} times in a row. Try again later.", status=status,
                                              path=path, messages=responses.messages(response))
                self._wait(attempt)
                continue
            if status >= 400:
                raise self._client_error(response, path)
            try:
                return parse(response)
            except LoketMalformedResponse:
                if last:
                    raise
                self._wait(attempt)

    def _client_error(self, response: httpx2.Response, path: str) -> LoketError:
        status = response.status_code
        messages = responses.messages(response)
        said = "; ".join(m.description for m in messages if m.description)
        detail = f" Loket says: {said}" if said else ""
        if status == 401:
            return LoketUnauthorized("Loket no longer accepts the portal's authorisation, even after renewing "
                                     "the token. Click \"Verbind met Loket\" to authorise again." + detail,
                                     status=status, path=path, messages=messages)
        if status == 403:
            right = missing_right_for(path)
            hint = (f"The Loket user probably lacks the right '{right}'. Grant it in Loket (to the user or its "
                    "team) and try again." if right else
                    "The Loket user has no access to this employer or operation. Check its access in Loket.")
            return LoketForbidden(f"Loket refused access to {path} (HTTP 403). {hint}{detail}",
                                  missing_right=right, status=status, path=path, messages=messages)
        if status == 404:
            return LoketNotFound(f"Loket does not know {path} (HTTP 404).{detail}", status=status, path=path,
                                 messages=messages)
        return LoketRequestError(f"Loket rejected the request for {path} (HTTP {status}).{detail}",
                                 status=status, path=path, messages=messages)

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))

    def _wait(self, attempt: int) -> None:
        self.sleep(self._backoff(attempt))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx2's default TLS context (the same certificates and environment), made once per process: each
    import opens a client, and building the context (reading the CA bundle) cost about 6 ms of CPU each
    time. An SSLContext may be shared by clients and threads, and by processes forked after it was made;
    SSL_CERT_FILE / SSL_CERT_DIR are read when it is made, so a change to them needs a restart."""
    return httpx2.create_ssl_context()


def _log_call(path: str, started: float, outcome: str) -> None:
    # One record per HTTP call, for the portal's metrics (`vendor_call`); never tokens or answers.
    seconds = time.perf_counter() - started
    log.debug("loket GET %s duration_ms=%.1f outcome=%s", path, seconds * 1000, outcome,
              extra={"vendor_call": ("loket", path, seconds, outcome)})
