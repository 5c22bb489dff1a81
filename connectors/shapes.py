"""Compare a vendor's answer with the shape our code expects, and redact an answer for a fixture.

Used by each source's deep check (`PayrollSource.deep_check`): on a real account's first contact it
says which fields we read are missing and which fields we have never seen, and writes the answers
with names, amounts and personal numbers replaced, to be turned into sandbox fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Shape:
    """What the code reads of one item (`reads`: missing is a finding) and the other fields known from
    the references and the sandbox (`known`); a field in neither is unexpected, worth a look."""

    reads: frozenset[str]
    known: frozenset[str] = frozenset()


def compare(item: dict, shape: Shape) -> tuple[list[str], list[str]]:
    """(missing, unexpected) field names of one item, sorted."""
    present = set(item)
    missing = sorted(shape.reads - present)
    unexpected = sorted(present - shape.reads - shape.known)
    return missing, unexpected


# --- redaction ---------------------------------------------------------------------------------------

# Keys whose values identify a person or a firm, or say what they earn (case-insensitive, substring).
PERSONAL_KEYS = ("name", "naam", "bsn", "socialsecurity", "citizenservice", "iban", "bic", "email", "phone",
                 "telefoon", "address", "adres", "street", "straat", "city", "plaats", "zip", "postal", "postcode",
                 "birth", "geboorte", "description", "omschrijving", "initials", "voorletters", "username",
                 "login", "employeenumber", "personnel", "reference", "kenmerk", "wagetaxnumber",
                 "loonheffingennummer", "clientnumber", "text")
AMOUNT_KEYS = ("amount", "total", "bedrag", "salary", "salaris", "gross", "bruto", "net", "debit", "debet",
               "credit", "krediet", "wage", "loon", "premium", "premie", "hours", "uren", "rate", "tarief")
# Short element names of the SEPA (ISO 20022) and similar XML that hold names and addresses.
PERSONAL_NAMES = frozenset({"nm", "ustrd", "adrline", "strtnm", "twnnm", "pstcd", "bldgnb"})
IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{4}\d{7,20}\b")
LONG_NUMBER = re.compile(r"\b\d{8,}\b")  # BSN (9 digits), wage tax and bank numbers
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
REDACTED = "REDACTED"
# Paging and keys that look like amounts by name but are the answer's structure.
KEEP = frozenset({"totalSize", "totalPages", "currentPage", "pageSize", "id", "key", "version", "sequenceNumber",
                  "year", "periodNumber", "Year", "Period", "PeriodStart", "PeriodEnd", "Number"})


def _matches(key: str, words) -> bool:
    key = key.lower().replace("_", "").replace("-", "")
    return any(word in key for word in words) or (words is PERSONAL_KEYS and key in PERSONAL_NAMES)


def scrub(text: str) -> str:
    """Personal numbers and addresses inside free text."""
    text = IBAN.sub("NL00BANK0123456789", text)
    text = EMAIL.sub("iemand@example.nl", text)
    return LONG_NUMBER.sub(lambda m: "9" * len(m.group()), text)


def redact(value, key: str = ""):
    """A JSON-like answer with personal values and amounts replaced; keys, types, ids of resources
    (GUIDs), dates and status texts kept, so the shape stays exactly the vendor's."""
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if isinstance(value, bool) or value is None or key in KEEP:
        return value
    if _matches(key, AMOUNT_KEYS) and isinstance(value, (int, float)):
        return type(value)(123.45) if isinstance(value, float) else 123
    if isinstance(value, str):
        if _matches(key, PERSONAL_KEYS):
            return REDACTED if value else value
        if _matches(key, AMOUNT_KEYS) and re.fullmatch(r"-?[\d.,]+", value.strip() or "x"):
            return "123.45"
        return scrub(value)
    return value


def redact_xml(content: bytes) -> bytes:
    """An XML answer with the text of personal and amount elements replaced and free text scrubbed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return b"<!-- not XML: left out -->"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if element.text and element.text.strip():
            if _matches(name, AMOUNT_KEYS) and re.fullmatch(r"-?[\d.,]+", element.text.strip()):
                element.text = "123.45"
            elif _matches(name, PERSONAL_KEYS):
                element.text = REDACTED
            else:
                element.text = scrub(element.text)
        for attribute, value in list(element.attrib.items()):
            element.attrib[attribute] = REDACTED if _matches(attribute, PERSONAL_KEYS) else scrub(value)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
