"""SOAP 1.1 envelopes for the Yuki sandbox: read a request strictly, write a response or a fault.

Strict on purpose: an element out of WSDL order, a wrong namespace or a SOAPAction that does not
match the body is refused the way ASMX refuses it, so a client bug shows up in tests rather than at
Yuki.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from sandbox.yuki.operations import (
    BASE64,
    DATETIME,
    DECIMAL,
    INT,
    NAMESPACE,
    XML,
    ArrayOf,
    Enumeration,
    Group,
    Operation,
    Service,
    is_value_type,
)
from sandbox.yuki.state import SoapFault

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_MEDIA = "text/xml"
SOAP12_MEDIA = "application/soap+xml"


class ProtocolError(Exception):
    """A request ASMX does not even read as SOAP 1.1: answered with `status`, `content_type` and `body`
    as they are, not as a SOAP 1.1 fault."""

    def __init__(self, status: str, content_type: str, body: bytes):
        super().__init__(status)
        self.status, self.content_type, self.body = status, content_type, body


def check_protocol(content_type: str, body: bytes) -> None:
    """ASMX picks the protocol from the Content-Type before it reads anything: text/xml is SOAP 1.1,
    application/soap+xml SOAP 1.2, anything else (or none) is no SOAP request at all. The sandbox
    serves SOAP 1.1, as the client does (docs/vendors/yuki.md, Contract evidence).

    - no or another media type: ASMX's "Request format is invalid" (HTTP 500, not a SOAP fault);
    - SOAP 1.2 media type with a SOAP 1.1 envelope: the SOAP 1.2 reader's VersionMismatch fault;
    - SOAP 1.2 media type with a SOAP 1.2 envelope: Yuki would serve it (its WSDL has a SOAP 1.2
      binding); the sandbox does not simulate SOAP 1.2 and says so, rather than answer in 1.1."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == SOAP11_MEDIA:
        return
    if media != SOAP12_MEDIA:
        raise ProtocolError("500 Internal Server Error", "text/plain; charset=utf-8",
                            f"System.InvalidOperationException: Request format is invalid: {content_type}."
                            .encode())
    try:
        namespace = etree.QName(etree.fromstring(body, _PARSER)).namespace
    except (etree.XMLSyntaxError, ValueError):
        namespace = None
    if namespace == SOAP12_ENV:
        message = "The Yuki sandbox simulates SOAP 1.1 only; send text/xml with a SOAP 1.1 envelope."
        code = "soap:Receiver"
    else:
        message = (f"Possible SOAP version mismatch: Envelope namespace {namespace} was unexpected. "
                   f"Expecting {SOAP12_ENV}.")
        code = "soap:VersionMismatch"
    raise ProtocolError("500 Internal Server Error", f"{SOAP12_MEDIA}; charset=utf-8", fault12(message, code))


def fault12(message: str, code: str) -> bytes:
    """A SOAP 1.2 fault as ASMX writes it."""
    envelope = etree.Element(f"{{{SOAP12_ENV}}}Envelope", nsmap={"soap": SOAP12_ENV})
    soap_fault = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP12_ENV}}}Body"), f"{{{SOAP12_ENV}}}Fault")
    etree.SubElement(etree.SubElement(soap_fault, f"{{{SOAP12_ENV}}}Code"), f"{{{SOAP12_ENV}}}Value").text = code
    reason = etree.SubElement(soap_fault, f"{{{SOAP12_ENV}}}Reason")
    text = etree.SubElement(reason, f"{{{SOAP12_ENV}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = message
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def operation_name(environ, body: bytes) -> str:
    """The operation a request names, for the fault injector: from SOAPAction, else the body."""
    action = (environ.get("HTTP_SOAPACTION") or "").strip('"')
    if action:
        return action.rsplit("/", 1)[-1]
    if environ.get("REQUEST_METHOD") == "GET":
        return "GET"
    try:
        root = etree.fromstring(body, _PARSER)
        return etree.QName(root.find(f"{{{SOAP11_ENV}}}Body")[0]).localname
    except (etree.XMLSyntaxError, TypeError, IndexError, ValueError):
        return "unknown"


def read_request(service: Service, body: bytes, soap_action: str) -> tuple[Operation, dict]:
    """Parse a request to (operation, {param name: python value}); SoapFault when ASMX would refuse it."""
    try:
        envelope = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault(f"Server was unable to read request. ---> {exc}", "soap:Client") from exc
    if envelope.tag != f"{{{SOAP11_ENV}}}Envelope":
        raise SoapFault("Possible SOAP version mismatch: Envelope namespace "
                        f"{etree.QName(envelope).namespace} was unexpected. Expecting {SOAP11_ENV}.",
                        "soap:VersionMismatch")
    soap_body = envelope.find(f"{{{SOAP11_ENV}}}Body")
    if soap_body is None or len(soap_body) == 0:
        raise SoapFault("Server was unable to read request. ---> The SOAP body is empty.", "soap:Client")
    request = soap_body[0]
    qname = etree.QName(request)
    operation = service.operation(qname.localname) if qname.namespace == NAMESPACE else None
    if operation is None:
        raise SoapFault(f"Server did not recognize the value of HTTP Header SOAPAction: {soap_action}.",
                        "soap:Client")
    if soap_action.strip('"') != operation.soap_action:
        raise SoapFault(f"Server did not recognize the value of HTTP Header SOAPAction: {soap_action}.",
                        "soap:Client")
    return operation, _read_params(operation, request)


def _read_params(operation: Operation, request) -> dict:
    expected = list(operation.params)
    values: dict = {name: None for name, _ in expected}
    position = 0
    for child in request:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        qname = etree.QName(child)
        names = [name for name, _ in expected[position:]]
        if qname.namespace != NAMESPACE or qname.localname not in names:
            raise SoapFault(f"Server was unable to read request. ---> There is an error in XML document: "
                            f"<{qname.localname} xmlns='{qname.namespace or ''}'> was not expected "
                            f"in {operation.name}.", "soap:Client")
        position += names.index(qname.localname)
        name, xsd_type = expected[position]
        values[name] = _convert(child, xsd_type, name)
        position += 1
    for name, xsd_type in expected:
        if values[name] is None and is_value_type(xsd_type):
            raise SoapFault(f"Server was unable to read request. ---> The required element {name} is missing.",
                            "soap:Client")
    return values


# What .NET's XmlSerializer accepts for the WSDL's simple types (XmlConvert): surrounding XML white
# space, an optional sign and ASCII digits for s:int; a point but no exponent, no thousands separator,
# no NaN/Infinity for s:decimal; the xsd lexical forms for s:dateTime. Python's int(), Decimal() and
# fromisoformat() accept more ("0_4", "1e3", "20261130"), which ASMX refuses before Yuki sees the call.
_XML_SPACE = " \t\n\r"
_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_DATETIME = re.compile(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})?", re.ASCII)
INT32 = range(-2**31, 2**31)


def _convert(element, xsd_type, name: str):
    if xsd_type == XML or isinstance(xsd_type, ArrayOf):
        return element  # an array parameter is handed over as read; the handler decides what it means
    text = element.text or ""
    if isinstance(xsd_type, Enumeration):
        # The XmlSerializer refuses an enum value it does not know, before the service sees the call.
        if text.strip() not in xsd_type.values:
            raise SoapFault(f"Server was unable to read request. ---> There is an error in XML document. ---> "
                            f"Instance validation error: '{text}' is not a valid value for {xsd_type.name}.",
                            "soap:Client")
        return text.strip()
    value = text.strip(_XML_SPACE)
    try:
        if xsd_type == INT:
            if not _INT.fullmatch(value) or int(value) not in INT32:
                raise ValueError(value)
            return int(value)
        if xsd_type == DECIMAL:
            if not _DECIMAL.fullmatch(value):
                raise ValueError(value)
            return Decimal(value)
        if xsd_type == DATETIME:
            if not _DATETIME.fullmatch(value):
                raise ValueError(value)
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        if xsd_type == BASE64:
            return base64.b64decode(text.strip(), validate=True)
    except (ValueError, InvalidOperation, binascii.Error) as exc:
        raise SoapFault(f"Server was unable to read request. ---> There is an error in XML document. ---> "
                        f"Input string for {name} was not in a correct format.", "soap:Client") from exc
    return text


def response(operation: Operation, result=None) -> bytes:
    """`<OpResponse><OpResult>result</OpResult></OpResponse>` in an envelope; result str or lxml element."""
    envelope = etree.Element(f"{{{SOAP11_ENV}}}Envelope", nsmap={"soap": SOAP11_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP11_ENV}}}Body")
    # A prefix rather than a default namespace: lxml would otherwise let the un-namespaced result
    # elements (<Domains>, <Administrations>) inherit it, as it does not write xmlns="".
    wrapper = etree.SubElement(body, f"{{{NAMESPACE}}}{operation.name}Response", nsmap={"y": NAMESPACE})
    if operation.result is not None and result is not None:
        holder = etree.SubElement(wrapper, f"{{{NAMESPACE}}}{operation.name}Result")
        if isinstance(operation.result, ArrayOf):
            # A typed array: every element qualified in the service namespace (elementFormDefault).
            for values in result:
                item = etree.SubElement(holder, f"{{{NAMESPACE}}}{operation.result.item}")
                for field, xsd_type in operation.result.typed_fields():
                    _array_field(item, field, xsd_type, values.get(field, ""))
        elif isinstance(result, str):
            holder.text = result
        else:
            holder.append(result)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def _array_field(item, field: str, xsd_type, value) -> None:
    """One field of a typed array item, as XmlSerializer writes it: a group left out when None."""
    if isinstance(xsd_type, Group):
        if value is None:
            return
        group = etree.SubElement(item, f"{{{NAMESPACE}}}{field}")
        for name in xsd_type.fields:
            etree.SubElement(group, f"{{{NAMESPACE}}}{name}").text = value.get(name, "")
        return
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = f"{value:f}"
    etree.SubElement(item, f"{{{NAMESPACE}}}{field}").text = value


def fault(message: str, code: str = "soap:Server") -> bytes:
    """A SOAP 1.1 fault as ASMX writes it (sent with HTTP 500)."""
    envelope = etree.Element(f"{{{SOAP11_ENV}}}Envelope", nsmap={"soap": SOAP11_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP11_ENV}}}Body")
    soap_fault = etree.SubElement(body, f"{{{SOAP11_ENV}}}Fault")
    etree.SubElement(soap_fault, "faultcode").text = code
    etree.SubElement(soap_fault, "faultstring").text = message
    etree.SubElement(soap_fault, "detail")
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
