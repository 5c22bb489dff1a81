"""How the sandbox checks a ProcessJournal xmlDoc, the way Yuki does (docs/vendors/yuki.md, "Journals").

Independent of yuki_client's builder on purpose: the sandbox must catch the builder's mistakes.
Yuki's Journal.xsd is not public; what is public is its support article with an example journal and
the documented error "The element 'Journal' has invalid child element ...", which is the wording of
.NET's XML schema validation. So Yuki validates the journal against its schema, and the vendor's own
example (every element under a default xmlns) is valid under it. The rules below follow from that;
each says why where the example alone does not settle it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from sandbox.yuki.state import JournalEntry, SandboxAdministration, SoapFault

JOURNAL_NS = "urn:xmlns:http://www.theyukicompany.com:journal"
JOURNAL_TYPES = {"GeneralJournal", "EndOfYearCorrection", "FiscalCorrection"}
HEADER_ORDER = ("DocumentSubject", "JournalType")
ENTRY_ORDER = ("ContactName", "ContactCode", "EntryDate", "GLAccount", "Amount", "Description")
ENTRY_REQUIRED = {"EntryDate", "GLAccount", "Amount"}
# The article gives EntryDate as yyyy-mm-dd: exactly that, ASCII digits, no padding. Python's
# fromisoformat alone would also take the basic form 20261130, which that format is not.
ENTRY_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# An xsd decimal: sign, digits, point. Python's Decimal also takes 1e3, NaN and Infinity.
AMOUNT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def _local(element) -> str:
    return etree.QName(element).localname


def _elements(parent) -> list:
    """The child elements of `parent`; each must be in the journal namespace. The vendor's example
    puts every element under the default xmlns, so the schema's children are qualified: an element in
    no namespace or in the SOAP service's namespace is another element to a schema validator, refused
    as an invalid child (its wording, with the namespace, as .NET writes it)."""
    children = [child for child in parent if isinstance(child.tag, str)]
    for child in children:
        namespace = etree.QName(child).namespace
        if namespace != JOURNAL_NS:
            raise SoapFault(f"The element '{_local(parent)}' in namespace '{JOURNAL_NS}' has invalid child element "
                            f"'{_local(child)}' in namespace '{namespace or ''}'. List of possible elements "
                            f"expected: names in namespace '{JOURNAL_NS}'.")
    return children


def journal_root(xml_doc) -> etree._Element:
    """The <Journal> inside the xmlDoc parameter. An escaped string (text, no element) is refused."""
    if xml_doc is None:
        raise SoapFault("Value cannot be null. Parameter name: xmlDoc")
    children = [child for child in xml_doc if isinstance(child.tag, str)]
    if not children:
        raise SoapFault("Data at the root level is invalid. Line 1, position 1. "
                        "(xmlDoc must contain the Journal XML itself, not escaped text.)")
    if len(children) > 1:
        # An XML document has one root. Yuki either refuses a second Journal (as a parser does) or
        # reads the first and drops the rest; a sandbox that booked only the first would hide the
        # second journal's loss from our tests, so it refuses, as a parser would.
        raise SoapFault("There are multiple root elements: xmlDoc holds one Journal, got "
                        f"{len(children)} elements ({', '.join(_local(c) for c in children)}).")
    root = children[0]
    if root.tag != f"{{{JOURNAL_NS}}}Journal":
        raise SoapFault(f"The root element must be 'Journal' in namespace '{JOURNAL_NS}', got '{root.tag}'.")
    return root


def read_journal(root, administration: SandboxAdministration) -> tuple[str, str, list[JournalEntry]]:
    """Check the journal against Yuki's rules; returns (subject, journal type, entries) or faults."""
    children = _elements(root)
    names = [_local(child) for child in children]
    identifiers = [name for name in names[:2] if name in ("AdministrationID", "AdministrationCoCNumber")]
    if len(identifiers) > 1:
        # Yuki's documented error when both are given (journal example, support article 80000787232).
        raise SoapFault(f"The element 'Journal' has invalid child element '{names[1]}'.")
    if identifiers:
        identifier = (children[0].text or "").strip()
        if names[0] == "AdministrationID" and identifier != administration.id:
            raise SoapFault(f"AdministrationID '{identifier}' in the journal does not match the administration "
                            f"'{administration.id}' of the request.")
        if names[0] == "AdministrationCoCNumber" and identifier != administration.coc_number:
            raise SoapFault(f"AdministrationCoCNumber '{identifier}' does not belong to the administration "
                            f"'{administration.id}' of the request.")
    # With neither, the administration of the call applies: ProcessJournal names it (administrationID)
    # and the article documents the journal's own identifier only as "one or the other, not both", so
    # the sandbox must not refuse what Yuki may well book.
    header = names[len(identifiers):len(identifiers) + 2]
    if tuple(header) != HEADER_ORDER:
        raise SoapFault("The element 'Journal' has invalid content: expected DocumentSubject, JournalType "
                        f"after the administration, got {', '.join(header) or 'nothing'}.")
    subject = (children[len(identifiers)].text or "").strip()
    journal_type = (children[len(identifiers) + 1].text or "").strip()
    if journal_type not in JOURNAL_TYPES:
        raise SoapFault(f"The value '{journal_type}' is invalid for JournalType.")
    entries = [_read_entry(child, number)
               for number, child in enumerate(children[len(identifiers) + 2:], start=1)]
    if not entries:
        raise SoapFault("The journal has no JournalEntry elements.")
    _check_balance(entries)
    return subject, journal_type, entries


def _read_entry(element, number: int) -> JournalEntry:
    if _local(element) != "JournalEntry":
        raise SoapFault(f"The element 'Journal' has invalid child element '{_local(element)}'.")
    values: dict[str, str] = {}
    raw_date = ""
    position = 0
    for child in _elements(element):
        name = _local(child)
        if name not in ENTRY_ORDER[position:]:
            raise SoapFault(f"JournalEntry {number}: invalid child element '{name}' (order must be "
                            f"{', '.join(ENTRY_ORDER)}).")
        position = ENTRY_ORDER.index(name) + 1
        values[name] = (child.text or "").strip()
        if name == "EntryDate":
            raw_date = child.text or ""
    missing = ENTRY_REQUIRED - {k for k, v in values.items() if v}
    if missing:
        raise SoapFault(f"JournalEntry {number}: missing {', '.join(sorted(missing))}.")
    try:
        if not ENTRY_DATE.fullmatch(raw_date):
            raise ValueError(raw_date)
        entry_date = date.fromisoformat(raw_date)
    except ValueError as exc:
        raise SoapFault(f"JournalEntry {number}: EntryDate '{raw_date}' is not yyyy-mm-dd.") from exc
    try:
        if not AMOUNT.fullmatch(values["Amount"]):
            raise InvalidOperation(values["Amount"])
        amount = Decimal(values["Amount"])
    except InvalidOperation as exc:
        raise SoapFault(f"JournalEntry {number}: Amount '{values['Amount']}' is not a number.") from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise SoapFault(f"JournalEntry {number}: Amount '{values['Amount']}' has more than 2 decimals.")
    return JournalEntry(entry_date, values["GLAccount"], amount, values.get("Description", ""),
                        values.get("ContactName", ""), values.get("ContactCode", ""))


def _check_balance(entries: list[JournalEntry]) -> None:
    total = sum((entry.amount for entry in entries), Decimal("0.00"))
    if total != 0:
        raise SoapFault(f"The journal is not balanced: the entries sum to {total}.")
    per_date: dict[date, Decimal] = {}
    for entry in entries:
        per_date[entry.entry_date] = per_date.get(entry.entry_date, Decimal("0.00")) + entry.amount
    for day in sorted(per_date):
        if per_date[day] != 0:
            raise SoapFault(f"The journal is not balanced on {day.isoformat()}: the entries of that date "
                            f"sum to {per_date[day]}.")
