"""One way to make any sandbox misbehave.

A test (in process) or a benchmark/demo (over HTTP, see `control_app`) adds rules; every sandbox
asks its injector before handling a call. A rule matches a call by vendor and operation (SOAP
operation name or "METHOD /path"), optionally only from the Nth matching call on, a limited number of
times. Generic actions are applied by `FaultInjector.wrap` around the vendor's WSGI app; vendor
specific ones ("soap_fault", "malformed") are applied by the vendor app itself via `take`.
"""

from __future__ import annotations

import fnmatch
import json
import threading
import time
from dataclasses import asdict, dataclass, field

# Actions every sandbox supports, handled in `wrap`:
#   delay        sleep `seconds`, then answer normally (slow vendor)
#   timeout      sleep `seconds` (long), then answer normally: the client times out first
#   http_error   answer `status` (500, 429, 403, ...) with `headers` and `body`, without handling the call
#   drop_before  close the connection after reading the request, without handling it
#   drop_after   handle the call (side effects happen!), then close the connection without answering
# Vendor-specific actions, applied by the vendor app through `take`:
#   soap_fault   answer a SOAP fault with `message` (Yuki/Nmbrs)
#   malformed    answer a broken body (bad XML/JSON)
GENERIC_ACTIONS = {"delay", "timeout", "http_error", "drop_before", "drop_after"}
VENDOR_ACTIONS = {"soap_fault", "malformed"}


class DropConnection(Exception):
    """Raised to make the sandbox server close the socket without sending a response."""


@dataclass
class FaultRule:
    action: str
    vendor: str = "*"
    operation: str = "*"
    on_call: int = 1  # first matching call (1-based) that misbehaves
    times: int = 1  # how many calls misbehave from then on; 0 = forever
    seconds: float = 0.0
    status: int = 500
    headers: dict = field(default_factory=dict)
    body: str = ""
    message: str = ""
    seen: int = 0
    fired: int = 0

    def __post_init__(self):
        if self.action not in GENERIC_ACTIONS | VENDOR_ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}")

    def matches(self, vendor: str, operation: str) -> bool:
        return fnmatch.fnmatchcase(vendor, self.vendor) and fnmatch.fnmatchcase(operation, self.operation)

    def exhausted(self) -> bool:
        return self.times != 0 and self.fired >= self.times


class FaultInjector:
    """Thread-safe set of fault rules plus a per-operation call counter."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.calls: dict[str, int] = {}

    def add(self, action: str, **kwargs) -> FaultRule:
        rule = FaultRule(action=action, **kwargs)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self.calls.clear()

    def rules(self) -> list[dict]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def _pick(self, vendor: str, operation: str, actions: set[str], count: bool) -> FaultRule | None:
        with self._lock:
            if count:
                key = f"{vendor}:{operation}"
                self.calls[key] = self.calls.get(key, 0) + 1
            for rule in self._rules:
                if rule.action not in actions or rule.exhausted() or not rule.matches(vendor, operation):
                    continue
                rule.seen += 1
                if rule.seen >= rule.on_call:
                    rule.fired += 1
                    return rule
        return None

    def take(self, vendor: str, operation: str, *actions: str) -> FaultRule | None:
        """For vendor apps: the vendor-specific fault to apply to this call, if any."""
        return self._pick(vendor, operation, set(actions) or VENDOR_ACTIONS, count=False)

    def wrap(self, app, vendor: str, operation_of):
        """WSGI middleware applying the generic actions. `operation_of(environ)` names the call."""

        def faulty_app(environ, start_response):
            body = _buffer_body(environ)
            operation = operation_of(environ, body)
            rule = self._pick(vendor, operation, GENERIC_ACTIONS, count=True)
            if rule is None:
                return app(environ, start_response)
            if rule.action in ("delay", "timeout"):
                time.sleep(rule.seconds or (30.0 if rule.action == "timeout" else 1.0))
                return app(environ, start_response)
            if rule.action == "drop_before":
                raise DropConnection()
            if rule.action == "drop_after":
                # Let the vendor do its work (the booking happens), then lose the answer.
                list(app(environ, lambda *a, **k: None))
                raise DropConnection()
            headers = [("Content-Type", "text/plain; charset=utf-8")]
            headers += [(k, str(v)) for k, v in rule.headers.items()]
            start_response(f"{rule.status} Injected", headers)
            return [rule.body.encode()]

        return faulty_app


def _buffer_body(environ) -> bytes:
    """Read the request body once and put it back, so both the middleware and the app can read it."""
    import io

    if "sandbox.body" in environ:
        return environ["sandbox.body"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["sandbox.body"] = body
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def control_app(injector: FaultInjector):
    """HTTP control for out-of-process users: GET lists rules and call counts, POST adds a rule
    (JSON body with FaultRule fields), DELETE clears rules and counts."""

    def app(environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method == "POST":
            try:
                spec = json.loads(_buffer_body(environ) or b"{}")
                injector.add(**spec)
            except (ValueError, TypeError) as exc:
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [json.dumps({"error": str(exc)}).encode()]
        elif method == "DELETE":
            injector.clear()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"rules": injector.rules(), "calls": injector.calls}).encode()]

    return app
