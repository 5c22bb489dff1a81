"""The Nmbrs sandbox as a plain WSGI app: CompanyService and DebtorService over SOAP 1.1.

Routes (under any mount prefix, sandbox/README.md):
  GET  .../soap/v3/<Service>.asmx?WSDL   the service's WSDL, addressed at the requested URL
  POST .../soap/v3/<Service>.asmx        a SOAP call, `AuthHeaderWithDomain` checked first
  *    /_faults                          the FaultInjector's HTTP control
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs
from wsgiref.util import application_uri

from sandbox.faults import FaultInjector, control_app
from sandbox.nmbrs.handlers import HANDLERS, NmbrsFault
from sandbox.nmbrs.schema import SERVICES, find_operation, namespace, operations_of
from sandbox.nmbrs.soap import (
    BadRequest,
    auth_header,
    fault_envelope,
    nmbrs_faultstring,
    parse_request,
    read_params,
    result_envelope,
)
from sandbox.nmbrs.state import NmbrsState, ReceivedCall
from sandbox.nmbrs.wsdl import build_wsdl

VENDOR = "nmbrs"
_SERVICE_PATH = re.compile(r"(?:^|/)soap/v3/(?P<service>\w+)\.asmx/?$", re.IGNORECASE)
XML_CONTENT_TYPE = ("Content-Type", "text/xml; charset=utf-8")


def _service_of(path: str) -> str | None:
    match = _SERVICE_PATH.search(path)
    if not match:
        return None
    wanted = match.group("service").lower()
    return next((s for s in SERVICES if s.lower() == wanted), None)


def _read_body(environ) -> bytes:
    if "sandbox.body" in environ:  # already read by FaultInjector.wrap
        return environ["sandbox.body"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def operation_of(environ, body: bytes) -> str:
    """Names a call for fault rules: the SOAP operation (from SOAPAction), else METHOD /path."""
    action = environ.get("HTTP_SOAPACTION", "").strip('"')
    if environ["REQUEST_METHOD"] == "POST" and action:
        return action.rsplit("/", 1)[-1]
    if environ["REQUEST_METHOD"] == "GET" and "wsdl" in environ.get("QUERY_STRING", "").lower():
        return "WSDL"
    return f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '/')}"


class _NmbrsApp:
    def __init__(self, state: NmbrsState, faults: FaultInjector):
        self.state = state
        self.faults = faults

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        service = _service_of(path)
        if service is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found. Services: " + ", ".join(f"/soap/v3/{s}.asmx" for s in SERVICES).encode()]
        method = environ["REQUEST_METHOD"]
        if method == "GET":
            return self._get(environ, start_response, service, path)
        if method != "POST":
            start_response("405 Method Not Allowed", [("Allow", "GET, POST")])
            return [b""]
        return self._post(environ, start_response, service)

    def _get(self, environ, start_response, service: str, path: str):
        query = {k.lower() for k in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)}
        if "wsdl" in query:
            address = application_uri(environ).rstrip("/") + path
            start_response("200 OK", [XML_CONTENT_TYPE])
            return [build_wsdl(service, address).encode("utf-8")]
        names = "".join(f"<li>{op.name}</li>" for op in operations_of(service))
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
                f"<title>{service} (Nmbrs sandbox)</title></head><body><h1>{service} (Nmbrs sandbox)</h1>"
                f"<ul>{names}</ul></body></html>".encode()]

    def _post(self, environ, start_response, service: str):
        ns = namespace(service)
        try:
            op_el, header_el = parse_request(_read_body(environ))
            op = find_operation(service, op_el.tag.split("}")[-1])
            if op is None or not op_el.tag.startswith(f"{{{ns}}}"):
                raise BadRequest(f"Server did not recognize the value of HTTP Header SOAPAction: "
                                 f"{environ.get('HTTP_SOAPACTION', '')}.")
            params = read_params(op, op_el, ns)
        except BadRequest as exc:
            return self._fault(start_response, str(exc), client_error=True)

        rule = self.faults.take(VENDOR, op.name)
        if rule is not None and rule.action == "malformed":
            start_response("200 OK", [XML_CONTENT_TYPE])
            return [result_envelope(op, ns, None)[:-40] + b"<unclosed"]
        if rule is not None and rule.action == "soap_fault":
            return self._fault(start_response, nmbrs_faultstring(rule.message or "9999: Unknown error"))

        auth = auth_header(header_el, ns) or {"Username": "", "Token": "", "Domain": ""}
        self.state.record(ReceivedCall(service, op.name, auth["Username"], auth["Domain"], params,
                                       token_given=bool(auth["Token"])))
        try:
            user = self._authenticate(auth)
            if not user.may_call(op.name):
                raise NmbrsFault(1002, f"Insufficient rights: the API user template does not allow {op.name}")
            result = HANDLERS[(service, op.name)](self.state, user, params)
        except NmbrsFault as fault:
            return self._fault(start_response, nmbrs_faultstring(f"{fault.code}: {fault.message}"))
        start_response("200 OK", [XML_CONTENT_TYPE])
        return [result_envelope(op, ns, result)]

    def _authenticate(self, auth: dict[str, str]):
        domain = auth["Domain"].strip()
        if not self.state.domain_exists(domain):
            if self.state.unknown_domain_fault == "1001":
                raise NmbrsFault(1001, f"Invalid Authentication: domain '{domain}' not found")
            raise NmbrsFault(2043, f"Invalid domain '{domain}'")
        user = self.state.user(auth["Username"].strip(), auth["Token"].strip(), domain)
        if user is None:
            raise NmbrsFault(1001, "Invalid Authentication")
        return user

    @staticmethod
    def _fault(start_response, faultstring: str, client_error: bool = False):
        start_response("500 Internal Server Error", [XML_CONTENT_TYPE])
        return [fault_envelope(faultstring, client_error)]


def create_app(faults: FaultInjector | None = None):
    faults = faults or FaultInjector()
    state = NmbrsState()
    soap_app = faults.wrap(_NmbrsApp(state, faults), VENDOR, operation_of)
    control = control_app(faults)

    def app(environ, start_response):
        if (environ.get("PATH_INFO") or "/").rstrip("/") == "/_faults":
            return control(environ, start_response)
        return soap_app(environ, start_response)

    app.faults = faults
    app.state = state
    return app
