"""Writes the WSDL of a sandbox service from `schema.py`, shaped like the ASMX WSDLs Nmbrs serves.

Document/literal, SOAP 1.1, every operation's input carrying the `AuthHeaderWithDomain` header
(docs/vendors/nmbrs.md: "Every call carries a SOAP header AuthHeaderWithDomain"). The address is the URL the
WSDL was requested from, so the sandbox works under any mount prefix (sandbox/README.md).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from sandbox.nmbrs.schema import (
    ARRAYS,
    ENUMS,
    HEADER_ELEMENT,
    HEADER_FIELDS,
    TYPES,
    VALUE_TYPES,
    namespace,
    operations_of,
    types_used_by,
)


def _type_ref(xsd_type: str) -> str:
    if xsd_type in TYPES or xsd_type in ARRAYS or xsd_type in ENUMS:
        return f"tns:{xsd_type}"
    return f"s:{xsd_type}"


def _element(name: str, xsd_type: str, nillable: bool = False, many: bool = False) -> str:
    value_like = xsd_type in VALUE_TYPES or xsd_type in ENUMS
    min_occurs = 1 if (value_like or nillable) and not many else 0
    max_occurs = "unbounded" if many else "1"
    nil = ' nillable="true"' if nillable or many else ""
    return (f'<s:element minOccurs="{min_occurs}" maxOccurs="{max_occurs}" name="{name}"{nil} '
            f'type="{_type_ref(xsd_type)}" />')


def _complex_types(service: str) -> list[str]:
    out = []
    enums_needed = set()
    for name in types_used_by(service):
        if name in ARRAYS:
            item = ARRAYS[name]
            fields = [_element(item, item, many=True)]
        else:
            fields = []
            for field, xsd_type, nillable in TYPES[name]:
                fields.append(_element(field, xsd_type, nillable))
                if xsd_type in ENUMS:
                    enums_needed.add(xsd_type)
        out.append(f'<s:complexType name="{name}"><s:sequence>{"".join(fields)}</s:sequence></s:complexType>')
    for enum in sorted(enums_needed):
        values = "".join(f'<s:enumeration value="{v}" />' for v in ENUMS[enum])
        out.append(f'<s:simpleType name="{enum}"><s:restriction base="s:string">{values}'
                   f'</s:restriction></s:simpleType>')
    return out


def build_wsdl(service: str, address: str) -> str:
    ns = namespace(service)
    ops = operations_of(service)
    header_fields = "".join(_element(f, "string") for f in HEADER_FIELDS)
    schema = [
        f'<s:element name="{HEADER_ELEMENT}" type="tns:{HEADER_ELEMENT}" />',
        f'<s:complexType name="{HEADER_ELEMENT}"><s:sequence>{header_fields}</s:sequence>'
        f'<s:anyAttribute /></s:complexType>',
    ]
    messages, port_ops, binding_ops = [], [], []
    for op in ops:
        params = "".join(_element(name, xsd_type) for name, xsd_type in op.params)
        schema.append(f'<s:element name="{op.name}"><s:complexType><s:sequence>{params}'
                      f'</s:sequence></s:complexType></s:element>')
        schema.append(f'<s:element name="{op.name}Response"><s:complexType><s:sequence>'
                      f'{_element(op.result_element, op.result)}</s:sequence></s:complexType></s:element>')
        messages.append(
            f'<wsdl:message name="{op.name}SoapIn"><wsdl:part name="parameters" element="tns:{op.name}" />'
            f'</wsdl:message>'
            f'<wsdl:message name="{op.name}SoapOut"><wsdl:part name="parameters" '
            f'element="tns:{op.name}Response" /></wsdl:message>'
            f'<wsdl:message name="{op.name}{HEADER_ELEMENT}"><wsdl:part name="{HEADER_ELEMENT}" '
            f'element="tns:{HEADER_ELEMENT}" /></wsdl:message>'
        )
        port_ops.append(f'<wsdl:operation name="{op.name}"><wsdl:input message="tns:{op.name}SoapIn" />'
                        f'<wsdl:output message="tns:{op.name}SoapOut" /></wsdl:operation>')
        binding_ops.append(
            f'<wsdl:operation name="{op.name}">'
            f'<soap:operation soapAction="{ns}/{op.name}" style="document" />'
            f'<wsdl:input><soap:body use="literal" />'
            f'<soap:header message="tns:{op.name}{HEADER_ELEMENT}" part="{HEADER_ELEMENT}" use="literal" />'
            f'</wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>'
        )
    schema.extend(_complex_types(service))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<wsdl:definitions xmlns:s="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="{ns}" '
        f'targetNamespace="{ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">'
        f'<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{ns}">'
        f'{"".join(schema)}</s:schema></wsdl:types>'
        f'{"".join(messages)}'
        f'<wsdl:portType name="{service}Soap">{"".join(port_ops)}</wsdl:portType>'
        f'<wsdl:binding name="{service}Soap" type="tns:{service}Soap">'
        f'<soap:binding transport="http://schemas.xmlsoap.org/soap/http" />{"".join(binding_ops)}'
        f'</wsdl:binding>'
        f'<wsdl:service name="{service}"><wsdl:port name="{service}Soap" binding="tns:{service}Soap">'
        f'<soap:address location={quoteattr(address)} /></wsdl:port></wsdl:service>'
        '</wsdl:definitions>'
    )
