"""The Nmbrs REST client (httpx2): bearer token + X-Subscription-Key on every call, paging, retries,
typed errors, and the two halves of a document task (start it, fetch its content).

docs/vendors/nmbrs-rest.md: every call carries the product subscription key header; lists are
`{pagination: {totalPages, ...}, data: [...]}` with `pageNumber`/`pageSize` (at most 100); a document
call answers `{taskId}` and `GET /api/documents/{taskId}` answers 202 while the file is being made, then
200 with the file. All calls are GETs, so retrying is safe. Retries: 429 (its Retry-After honoured up
to `max_retry_after`), 5xx, timeouts and dropped connections, `max_attempts` tries in all; after a 401
the token is refreshed once (unless the answer names the subscription key).
"""

from __future__ import annotations

import functools
import logging
import re
import ssl
import time
from collections.abc import Callable
from typing import Protocol

import httpx2

from connectors.nmbrs_rest.errors import (
    BadResponse,
    InvalidSubscriptionKey,
    NmbrsRestUnavailable,
    RateLimited,
    classify,
)
from connectors.nmbrs_rest.records import Company, Debtor, EmployeeInRun, Run, UserInfo, WageTax
from connectors.retry_after import retry_after

log = logging.getLogger(__name__)

SUBSCRIPTION_HEADER = "X-Subscription-Key"
PAGE_SIZE = 100  # the spec's maximum
MAX_PAGES = 1000
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class TokenSource(Protocol):
    def __call__(self, force_refresh: bool = False, rejected: str | None = None) -> str: ...


class NmbrsRestClient:
    """Thread-safe: the document tasks of an import are started and polled from several threads."""

    def __init__(self, api_base: str, subscription_key: str, token_provider: TokenSource, *,
                 timeout: float = 60.0, max_attempts: int = 4, backoff: float = 0.5, max_backoff: float = 8.0,
                 max_retry_after: float = 60.0, page_size: int = PAGE_SIZE, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx2.BaseTransport | None = None, event_hooks: dict | None = None,
                 max_connections: int = 20):
        self.api_base = api_base.rstrip("/")
        self.subscription_key = subscription_key
        self.token_provider = token_provider
        self.max_attempts = max(1, max_attempts)
        self.backoff, self.max_backoff, self.max_retry_after = backoff, max_backoff, max_retry_after
        self.page_size = page_size
        self.sleep = sleep
        kwargs = {"transport": transport} if transport is not None else {"verify": tls_context()}
        self.http = httpx2.Client(timeout=timeout, event_hooks=event_hooks or {},
                                  limits=httpx2.Limits(max_connections=max_connections), **kwargs)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> NmbrsRestClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reads -------------------------------------------------------------------------------------

    def user_info(self) -> UserInfo:
        return UserInfo.from_json(_first(self.list_all("/api/user/info"), "/api/user/info"))

    def debtors(self) -> list[Debtor]:
        return [Debtor.from_json(item) for item in self.list_all("/api/debtors")]

    def companies(self, debtor_id: str) -> list[Company]:
        return [Company.from_json(item) for item in self.list_all(f"/api/debtors/{debtor_id}/companies")]

    def runs(self, company_id: str, year: int) -> list[Run]:
        return [Run.from_json(item) for item in self.list_all(f"/api/companies/{company_id}/runs", {"year": year})]

    def wage_taxes(self, company_id: str, year: int) -> list[WageTax]:
        return [WageTax.from_json(item) for item in
                self.list_all(f"/api/companies/{company_id}/wagetaxes", {"year": year})]

    def run_employees(self, company_id: str, run_id: str, year: int) -> list[EmployeeInRun]:
        return [EmployeeInRun.from_json(item) for item in
                self.list_all(f"/api/companies/{company_id}/runs/{run_id}/employees", {"year": year})]

    # --- documents: a task, then its content -----------------------------------------------------

    def start_task(self, path: str, params: dict | None = None) -> str:
        """Ask Nmbrs to make a document: its task id."""
        body = self.get_json(path, params)
        task_id = body.get("taskId")
        if not isinstance(task_id, str) or not _UUID.fullmatch(task_id):
            raise BadResponse(f"Nmbrs' answer for {path} has no task id.", path=path)
        return task_id

    def document(self, task_id: str) -> bytes | None:
        """The file of a task, or None while Nmbrs still makes it (202)."""
        path = f"/api/documents/{task_id}"
        response = self._request(path, {}, accept="application/octet-stream")
        if response.status_code == 202:
            return None
        if not response.content:
            raise BadResponse(f"Nmbrs answered {path} with an empty file.", path=path, status=response.status_code)
        return response.content

    # --- plumbing ----------------------------------------------------------------------------------

    def get_json(self, path: str, params: dict | None = None) -> dict:
        response = self._request(path, params or {})
        try:
            body = response.json()
        except ValueError as exc:
            raise BadResponse(f"Nmbrs' answer for {path} is not JSON.", path=path, status=response.status_code) from exc
        if not isinstance(body, dict):
            raise BadResponse(f"Nmbrs' answer for {path} is not a JSON object.", path=path)
        return body

    def list_all(self, path: str, params: dict | None = None) -> list[dict]:
        """Every item of a list, page after page (pagination.totalPages)."""
        items: list[dict] = []
        for page_number in range(1, MAX_PAGES + 1):
            body = self.get_json(path, {**(params or {}), "pageNumber": page_number, "pageSize": self.page_size})
            data = body.get("data")
            if not isinstance(data, list):
                raise BadResponse(f"Nmbrs' list answer for {path} has no 'data' list.", path=path)
            items.extend(data)
            total = (body.get("pagination") or {}).get("totalPages")
            if not data or not isinstance(total, int) or page_number >= total:
                break
        return items

    def _request(self, path: str, params: dict, accept: str = "application/json") -> httpx2.Response:
        url = self.api_base + path
        token = self.token_provider()
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self.max_attempts
            started = time.perf_counter()
            try:
                response = self.http.get(url, params=params, headers={
                    "Authorization": f"Bearer {token}", SUBSCRIPTION_HEADER: self.subscription_key, "Accept": accept})
            except httpx2.TransportError as exc:  # timeouts included
                _log_call(path, started, type(exc).__name__)
                if last:
                    raise NmbrsRestUnavailable(f"Could not reach Nmbrs ({path}) after {attempt} tries: {exc!r}.",
                                               path=path) from exc
                self.sleep(self._backoff(attempt))
                continue
            status = response.status_code
            _log_call(path, started, "ok" if status < 400 else f"http_{status}")
            if status < 400:
                return response
            body = _json_or_none(response)
            error = classify(status, body, path, response.headers.get("WWW-Authenticate", ""))
            # A new token does not mend a wrong subscription key: only a token problem is refreshed.
            if status == 401 and not refreshed and not isinstance(error, InvalidSubscriptionKey):
                token, refreshed = self.token_provider(force_refresh=True, rejected=token), True
                attempt -= 1  # a refresh is not a failed try
                continue
            if isinstance(error, RateLimited):
                error.retry_after = retry_after(response.headers.get("Retry-After"))
                if last or (error.retry_after or 0) > self.max_retry_after:
                    raise error
                self.sleep(error.retry_after if error.retry_after is not None else self._backoff(attempt))
                continue
            if error.transient and not last:
                self.sleep(self._backoff(attempt))
                continue
            raise error

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx2's default TLS context, made once per process: making it reads the system's CA bundle (about a
    second on a busy machine); a context may be shared by clients, threads and forked processes."""
    return httpx2.create_ssl_context()


def _first(items: list[dict], path: str) -> dict:
    if not items:
        raise BadResponse(f"Nmbrs' answer for {path} is an empty list.", path=path)
    return items[0]


def _json_or_none(response: httpx2.Response):
    try:
        return response.json()
    except ValueError:
        return None



def _log_call(path: str, started: float, outcome: str) -> None:
    # One record per HTTP call for the portal's metrics (`vendor_call`), ids folded so paths group.
    seconds = time.perf_counter() - started
    template = _UUID.sub("{id}", path)
    log.debug("nmbrs_rest GET %s duration_ms=%.1f outcome=%s", template, seconds * 1000, outcome,
              extra={"vendor_call": ("nmbrs_rest", template, seconds, outcome)})
