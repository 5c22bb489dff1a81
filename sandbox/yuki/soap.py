"""SOAP 1.1 envelopes for the Yuki sandbox: read a request strictly, write a response or a fault.

Strict on purpose: an element out of WSDL order, a wrong namespace or a SOAPAction that does not
match the body is refused the way ASMX refuses it, so a client bug shows up in tests rather than at
Yuki.
"""

from __future__ import annotations

import base64
import binascii
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
    Enumeration,
    Operation,
    Service,
    is_value_type,
)
from sandbox.yuki.state import SoapFault

SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
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


def _convert(element, xsd_type, name: str):
    if xsd_type == XML:
        return element
    text = element.text or ""
    if isinstance(xsd_type, Enumeration):
        # The XmlSerializer refuses an enum value it does not know, before the service sees the call.
        if text.strip() not in xsd_type.values:
            raise SoapFault(f"Server was unable to read request. ---> There is an error in XML document. ---> "
                            f"Instance validation error: '{text}' is not a valid value for {xsd_type.name}.",
                            "soap:Client")
        return text.strip()
    try:
        if xsd_type == INT:
            return int(text.strip())
        if xsd_type == DECIMAL:
            return Decimal(text.strip())
        if xsd_type == DATETIME:
            return datetime.fromisoformat(text.strip())
        if xsd_type == BASE64:
            return base64.b64decode(text.strip(), validate=True)
    except (ValueError, InvalidOperation, binascii.Error) as exc:
        raise SoapFault(f"Server was unable to read request. ---> Input string for {name} was not in a "
                        f"correct format.", "soap:Client") from exc
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
        if isinstance(result, str):
            holder.text = result
        else:
            holder.append(result)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def fault(message: str, code: str = "soap:Server") -> bytes:
    """A SOAP 1.1 fault as ASMX writes it (sent with HTTP 500)."""
    envelope = etree.Element(f"{{{SOAP11_ENV}}}Envelope", nsmap={"soap": SOAP11_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP11_ENV}}}Body")
    soap_fault = etree.SubElement(body, f"{{{SOAP11_ENV}}}Fault")
    etree.SubElement(soap_fault, "faultcode").text = code
    etree.SubElement(soap_fault, "faultstring").text = message
    etree.SubElement(soap_fault, "detail")
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
