"""WSDL documents for the sandbox services, generated from operations.py the way ASMX renders them.

Same shape as Yuki's real Archive WSDL (docs/vendors/yuki.md, "Sources"): one qualified
schema in the target namespace, `<Op>SoapIn/SoapOut` messages with a `parameters` part, a
`<Service>Soap` port type, SOAP 1.1 and 1.2 bindings (document/literal, SOAPAction
`http://www.theyukicompany.com/<Op>`) and a service whose addresses come from the request URL.
The HTTP GET/POST bindings of the real service are left out: no SOAP client uses them.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from sandbox.yuki.operations import (
    NAMESPACE,
    XML,
    ArrayOf,
    Enumeration,
    Group,
    Operation,
    Service,
    is_value_type,
)

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SOAP11_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
NSMAP = {"wsdl": WSDL_NS, "s": XSD_NS, "soap": SOAP11_NS, "soap12": SOAP12_NS, "tns": NAMESPACE}


def _w(tag: str) -> str:
    return f"{{{WSDL_NS}}}{tag}"


def _s(tag: str) -> str:
    return f"{{{XSD_NS}}}{tag}"


def _sequence_element(parent, name: str, xsd_type) -> None:
    if xsd_type == XML:
        element = etree.SubElement(parent, _s("element"), minOccurs="0", maxOccurs="1", name=name)
        mixed = etree.SubElement(element, _s("complexType"), mixed="true")
        etree.SubElement(etree.SubElement(mixed, _s("sequence")), _s("any"))
        return
    min_occurs = "1" if is_value_type(xsd_type) else "0"
    named = isinstance(xsd_type, Enumeration | ArrayOf)
    type_name = f"tns:{xsd_type.name}" if named else f"s:{xsd_type}"
    etree.SubElement(parent, _s("element"), minOccurs=min_occurs, maxOccurs="1", name=name, type=type_name)


def _enumeration(schema, enumeration: Enumeration) -> None:
    simple_type = etree.SubElement(schema, _s("simpleType"), name=enumeration.name)
    restriction = etree.SubElement(simple_type, _s("restriction"), base="s:string")
    for value in enumeration.values:
        etree.SubElement(restriction, _s("enumeration"), value=value)


def _open_content(sequence) -> None:
    etree.SubElement(sequence, _s("any"), minOccurs="0", maxOccurs="unbounded", processContents="lax")


def _array(schema, array: ArrayOf, declared: set[str]) -> None:
    """ASMX's rendering of a .NET array of a class: ArrayOf<Item> holding <Item> elements, then the class
    and the classes of its fields."""
    declared.add(array.name)
    holder = etree.SubElement(schema, _s("complexType"), name=array.name)
    etree.SubElement(etree.SubElement(holder, _s("sequence")), _s("element"), minOccurs="0", maxOccurs="unbounded",
                     name=array.item, nillable="true", type=f"tns:{array.item}")
    item = etree.SubElement(schema, _s("complexType"), name=array.item)
    sequence = etree.SubElement(item, _s("sequence"))
    if not array.fields:
        _open_content(sequence)
    groups = []
    for field, xsd_type in array.typed_fields():
        if isinstance(xsd_type, Group):
            groups.append(xsd_type)
            etree.SubElement(sequence, _s("element"), minOccurs="0", maxOccurs="1", name=field,
                             type=f"tns:{xsd_type.name}")
        else:
            etree.SubElement(sequence, _s("element"), minOccurs="1" if is_value_type(xsd_type) else "0",
                             maxOccurs="1", name=field, type=f"s:{xsd_type}")
    for group in groups:
        if group.name in declared:
            continue
        declared.add(group.name)
        group_sequence = etree.SubElement(etree.SubElement(schema, _s("complexType"), name=group.name),
                                          _s("sequence"))
        for field in group.fields:
            etree.SubElement(group_sequence, _s("element"), minOccurs="0", maxOccurs="1", name=field, type="s:string")
        if not group.fields:
            _open_content(group_sequence)


def _schema(definitions, service: Service) -> None:
    types = etree.SubElement(definitions, _w("types"))
    schema = etree.SubElement(types, _s("schema"), elementFormDefault="qualified", targetNamespace=NAMESPACE)
    declared: set[str] = set()
    for op in service.operations:
        request = etree.SubElement(schema, _s("element"), name=op.name)
        sequence = etree.SubElement(etree.SubElement(request, _s("complexType")), _s("sequence"))
        for name, xsd_type in op.params:
            _sequence_element(sequence, name, xsd_type)
        # ASMX declares an enum's simpleType (or an array's types) right after the first element using it.
        for _, xsd_type in op.params:
            if isinstance(xsd_type, Enumeration) and xsd_type.name not in declared:
                declared.add(xsd_type.name)
                _enumeration(schema, xsd_type)
            elif isinstance(xsd_type, ArrayOf) and xsd_type.name not in declared:
                _array(schema, xsd_type, declared)
        response = etree.SubElement(schema, _s("element"), name=f"{op.name}Response")
        if op.result is None:
            etree.SubElement(response, _s("complexType"))
        else:
            sequence = etree.SubElement(etree.SubElement(response, _s("complexType")), _s("sequence"))
            _sequence_element(sequence, f"{op.name}Result", op.result)
            if isinstance(op.result, ArrayOf) and op.result.name not in declared:
                _array(schema, op.result, declared)


def _binding(definitions, service: Service, soap_ns: str, suffix: str) -> None:
    binding = etree.SubElement(definitions, _w("binding"), name=f"{service.name}{suffix}",
                               type=f"tns:{service.name}Soap")
    etree.SubElement(binding, f"{{{soap_ns}}}binding", transport="http://schemas.xmlsoap.org/soap/http")
    for op in service.operations:
        operation = etree.SubElement(binding, _w("operation"), name=op.name)
        etree.SubElement(operation, f"{{{soap_ns}}}operation", soapAction=op.soap_action, style="document")
        for direction in ("input", "output"):
            etree.SubElement(etree.SubElement(operation, _w(direction)), f"{{{soap_ns}}}body", use="literal")


def _port_type(definitions, service: Service) -> None:
    port_type = etree.SubElement(definitions, _w("portType"), name=f"{service.name}Soap")
    for op in service.operations:
        operation = etree.SubElement(port_type, _w("operation"), name=op.name)
        if op.documentation:
            etree.SubElement(operation, _w("documentation")).text = op.documentation
        etree.SubElement(operation, _w("input"), message=f"tns:{op.name}SoapIn")
        etree.SubElement(operation, _w("output"), message=f"tns:{op.name}SoapOut")


def _messages(definitions, operations: tuple[Operation, ...]) -> None:
    for op in operations:
        for suffix, element in (("SoapIn", op.name), ("SoapOut", f"{op.name}Response")):
            message = etree.SubElement(definitions, _w("message"), name=f"{op.name}{suffix}")
            etree.SubElement(message, _w("part"), name="parameters", element=f"tns:{element}")


@lru_cache(maxsize=8)
def _template(service: Service) -> bytes:
    definitions = etree.Element(_w("definitions"), nsmap=NSMAP, targetNamespace=NAMESPACE)
    _schema(definitions, service)
    _messages(definitions, service.operations)
    _port_type(definitions, service)
    _binding(definitions, service, SOAP11_NS, "Soap")
    _binding(definitions, service, SOAP12_NS, "Soap12")
    wsdl_service = etree.SubElement(definitions, _w("service"), name=service.name)
    for suffix, soap_ns in (("Soap", SOAP11_NS), ("Soap12", SOAP12_NS)):
        port = etree.SubElement(wsdl_service, _w("port"), name=f"{service.name}{suffix}",
                                binding=f"tns:{service.name}{suffix}")
        etree.SubElement(port, f"{{{soap_ns}}}address", location="__ADDRESS__")
    return etree.tostring(definitions, xml_declaration=True, encoding="utf-8", pretty_print=True)


def wsdl_document(service: Service, address: str) -> bytes:
    """The WSDL of `service`, its ports pointing at `address` (built from the request URL)."""
    from xml.sax.saxutils import quoteattr

    return _template(service).replace(b'"__ADDRESS__"', quoteattr(address).encode())
