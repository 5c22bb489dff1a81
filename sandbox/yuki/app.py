"""The Yuki sandbox as a plain WSGI app: `/<anything>/<Service>.asmx` for Accounting, Archive and
Pettycash (POST SOAP 1.1, GET `?WSDL`), `/_faults` for the fault injector's HTTP control."""

from __future__ import annotations

from wsgiref.util import request_uri

from sandbox.faults import FaultInjector, _buffer_body, control_app
from sandbox.yuki import fault_texts, soap
from sandbox.yuki.browse import browse, remove_account
from sandbox.yuki.handlers import HANDLERS
from sandbox.yuki.operations import service_for_path
from sandbox.yuki.state import SandboxState, SoapFault
from sandbox.yuki.wsdl import wsdl_document

VENDOR = "yuki"
XML_CONTENT_TYPE = ("Content-Type", "text/xml; charset=utf-8")


class YukiSandbox:
    def __init__(self, faults: FaultInjector | None = None, state: SandboxState | None = None):
        self.faults = faults or FaultInjector()
        self.state = state or SandboxState()
        self._control = control_app(self.faults)
        self._soap = self.faults.wrap(self._serve, VENDOR, soap.operation_name)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.rstrip("/").endswith("/_faults"):
            return self._control(environ, start_response)
        if environ["REQUEST_METHOD"] == "GET" and not path.endswith(".asmx"):
            return browse(self.state, environ, start_response)  # the sandbox's own view, for people
        if environ["REQUEST_METHOD"] == "POST" and path.rstrip("/").endswith("/remove"):
            return remove_account(self.state, environ, start_response)
        return self._soap(environ, start_response)

    def _serve(self, environ, start_response):
        service = service_for_path(environ.get("PATH_INFO", ""))
        if service is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Unknown Yuki service. Known: Accounting.asmx, AccountingInfo.asmx, Archive.asmx, Pettycash.asmx\n"]
        method = environ["REQUEST_METHOD"]
        if method == "GET" and environ.get("QUERY_STRING", "").lower() == "wsdl":
            address = request_uri(environ, include_query=False)
            start_response("200 OK", [XML_CONTENT_TYPE])
            return [wsdl_document(service, address)]
        if method != "POST":
            start_response("405 Method Not Allowed", [("Allow", "GET, POST")])
            return [b""]
        body = _buffer_body(environ)
        try:
            soap.check_protocol(environ.get("CONTENT_TYPE", ""), body)
        except soap.ProtocolError as refused:
            start_response(refused.status, [("Content-Type", refused.content_type)])
            return [refused.body]
        try:
            operation, params = soap.read_request(service, body, environ.get("HTTP_SOAPACTION", ""))
            injected = self.faults.take(VENDOR, operation.name)
            if injected is not None and injected.action == "malformed":
                start_response("200 OK", [XML_CONTENT_TYPE])
                return [b"<?xml version='1.0'?><soap:Envelope><soap:Body><broken"]
            if injected is not None:
                raise SoapFault(injected.message or "Injected fault")
            result = self._dispatch(operation.name, params)
        except SoapFault as exc:
            message = exc.message if exc.code != "soap:Server" else fault_texts.ASMX_PREFIX + exc.message
            start_response("500 Internal Server Error", [XML_CONTENT_TYPE])
            return [soap.fault(message, exc.code)]
        start_response("200 OK", [XML_CONTENT_TYPE])
        return [soap.response(operation, result)]

    def _dispatch(self, name: str, params: dict):
        state = self.state
        if name == "Authenticate":
            key = state.access_keys.get(params["accessKey"] or "")
            if key is None:
                raise SoapFault(fault_texts.INVALID_ACCESS_KEY)
            state.count_call(key.domain_id)
            return state.open_session(key.domain_id, key.administration_ids)
        if name == "AuthenticateByUserName":
            user = state.users.get(params["userName"] or "")
            if user is None or user.password != params["password"]:
                raise SoapFault(fault_texts.INVALID_LOGIN)
            state.count_call(user.domain_id)
            return state.open_session(user.domain_id, user.administration_ids)
        session = state.session(params.get("sessionID") or params.get("sessionId"))
        state.count_call(session.domain_id)
        return HANDLERS[name](state, session, params)
