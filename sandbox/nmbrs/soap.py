"""SOAP 1.1 envelopes of the Nmbrs sandbox: reading requests, writing results and faults.

Faults look like the ones an ASMX service sends when the code throws: HTTP 500, `soap:Fault`,
faultstring "Server was unable to process request. ---> <code>: <message>" (docs/vendors/nmbrs.md).
"""

from __future__ import annotations

import base64
from datetime import datetime
from decimal import Decimal

from lxml import etree

from sandbox.nmbrs.schema import ARRAYS, HEADER_ELEMENT, HEADER_FIELDS, TYPES, Operation

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
ASMX_PREFIX = "Server was unable to process request. ---> "
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class BadRequest(Exception):
    """The request is not a SOAP call the service understands (answered as a soap:Client fault)."""


def parse_request(body: bytes) -> tuple[etree._Element, etree._Element | None]:
    """-> (the operation element in the body, the header element or None)."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadRequest(f"Server was unable to read request. ---> There is an error in XML document: {exc}") \
            from exc
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise BadRequest("Possible SOAP version mismatch: Envelope namespace was unexpected.")
    body_el = root.find(f"{{{SOAP_ENV}}}Body")
    if body_el is None or len(body_el) == 0:
        raise BadRequest("Server did not recognize the value of HTTP Header SOAPAction.")
    header_el = root.find(f"{{{SOAP_ENV}}}Header")
    return body_el[0], header_el


def auth_header(header_el: etree._Element | None, ns: str) -> dict[str, str] | None:
    if header_el is None:
        return None
    auth = header_el.find(f"{{{ns}}}{HEADER_ELEMENT}")
    if auth is None:
        return None
    return {name: (auth.findtext(f"{{{ns}}}{name}") or "") for name in HEADER_FIELDS}


def _parse_value(text: str, xsd_type: str):
    if xsd_type == "int":
        return int(text)
    if xsd_type == "dateTime":
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    if xsd_type == "boolean":
        return text.strip() in ("true", "1")
    return text


def read_params(op: Operation, op_el: etree._Element, ns: str) -> dict:
    params = {}
    for name, xsd_type in op.params:
        text = op_el.findtext(f"{{{ns}}}{name}")
        if text is None:
            raise BadRequest(f"Server was unable to read request. ---> Missing parameter {name}.")
        try:
            params[name] = _parse_value(text.strip(), xsd_type)
        except ValueError as exc:
            raise BadRequest(f"Server was unable to read request. ---> Input string {text!r} for {name} "
                             f"was not in a correct format.") from exc
    return params


def _format(value, xsd_type: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _fill(el: etree._Element, value, xsd_type: str, ns: str, nillable: bool = False) -> None:
    if value is None:
        if nillable:
            el.set(f"{{{XSI}}}nil", "true")
        return
    if xsd_type in ARRAYS:
        item_type = ARRAYS[xsd_type]
        for item in value:
            _fill(etree.SubElement(el, f"{{{ns}}}{item_type}"), item, item_type, ns)
    elif xsd_type in TYPES:
        for field, field_type, field_nillable in TYPES[xsd_type]:
            if field not in value or (value[field] is None and not field_nillable):
                continue
            _fill(etree.SubElement(el, f"{{{ns}}}{field}"), value[field], field_type, ns, field_nillable)
    else:
        el.text = _format(value, xsd_type)


def _envelope() -> tuple[etree._Element, etree._Element]:
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "xsi": XSI, "xsd": XSD})
    return env, etree.SubElement(env, f"{{{SOAP_ENV}}}Body")


def result_envelope(op: Operation, ns: str, result) -> bytes:
    env, body = _envelope()
    response = etree.SubElement(body, f"{{{ns}}}{op.name}Response", nsmap={None: ns})
    if result is not None:
        _fill(etree.SubElement(response, f"{{{ns}}}{op.result_element}"), result, op.result, ns)
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def fault_envelope(faultstring: str, client_error: bool = False) -> bytes:
    env, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Client" if client_error else "soap:Server"
    etree.SubElement(fault, "faultstring").text = faultstring
    etree.SubElement(fault, "detail")
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def nmbrs_faultstring(text: str) -> str:
    """'1006: Login failed' -> the full ASMX faultstring; a text already in that form is kept."""
    return text if "--->" in text else ASMX_PREFIX + text
