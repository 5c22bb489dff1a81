"""How the sandbox checks a ProcessJournal xmlDoc, the way Yuki does (docs/vendors/yuki.md, "Journals").

Independent of yuki_client's builder on purpose: the sandbox must catch the builder's mistakes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from sandbox.yuki.state import JournalEntry, SandboxAdministration, SoapFault

JOURNAL_NS = "urn:xmlns:http://www.theyukicompany.com:journal"
JOURNAL_TYPES = {"GeneralJournal", "EndOfYearCorrection", "FiscalCorrection"}
HEADER_ORDER = ("DocumentSubject", "JournalType")
ENTRY_ORDER = ("ContactName", "ContactCode", "EntryDate", "GLAccount", "Amount", "Description")
ENTRY_REQUIRED = {"EntryDate", "GLAccount", "Amount"}


def _local(element) -> str:
    return etree.QName(element).localname


def journal_root(xml_doc) -> etree._Element:
    """The <Journal> inside the xmlDoc parameter. An escaped string (text, no element) is refused."""
    if xml_doc is None:
        raise SoapFault("Value cannot be null. Parameter name: xmlDoc")
    children = [child for child in xml_doc if isinstance(child.tag, str)]
    if not children:
        raise SoapFault("Data at the root level is invalid. Line 1, position 1. "
                        "(xmlDoc must contain the Journal XML itself, not escaped text.)")
    root = children[0]
    if root.tag != f"{{{JOURNAL_NS}}}Journal":
        raise SoapFault(f"The root element must be 'Journal' in namespace '{JOURNAL_NS}', got '{root.tag}'.")
    return root


def read_journal(root, administration: SandboxAdministration) -> tuple[str, str, list[JournalEntry]]:
    """Check the journal against Yuki's rules; returns (subject, journal type, entries) or faults."""
    children = [child for child in root if isinstance(child.tag, str)]
    names = [_local(child) for child in children]
    if not children or names[0] not in ("AdministrationID", "AdministrationCoCNumber"):
        raise SoapFault("The element 'Journal' has incomplete content. Expected 'AdministrationID' or "
                        "'AdministrationCoCNumber'.")
    if len(names) > 1 and names[1] in ("AdministrationID", "AdministrationCoCNumber"):
        # Yuki's documented error when both are given (journal example, support article 80000787232).
        raise SoapFault(f"The element 'Journal' has invalid child element '{names[1]}'.")
    identifier = (children[0].text or "").strip()
    if names[0] == "AdministrationID" and identifier != administration.id:
        raise SoapFault(f"AdministrationID '{identifier}' in the journal does not match the administration "
                        f"'{administration.id}' of the request.")
    if names[0] == "AdministrationCoCNumber" and identifier != administration.coc_number:
        raise SoapFault(f"AdministrationCoCNumber '{identifier}' does not belong to the administration "
                        f"'{administration.id}' of the request.")
    if tuple(names[1:3]) != HEADER_ORDER:
        raise SoapFault("The element 'Journal' has invalid content: expected DocumentSubject, JournalType "
                        f"after the administration, got {', '.join(names[1:3]) or 'nothing'}.")
    subject = (children[1].text or "").strip()
    journal_type = (children[2].text or "").strip()
    if journal_type not in JOURNAL_TYPES:
        raise SoapFault(f"The value '{journal_type}' is invalid for JournalType.")
    entries = [_read_entry(child, number) for number, child in enumerate(children[3:], start=1)]
    if not entries:
        raise SoapFault("The journal has no JournalEntry elements.")
    _check_balance(entries)
    return subject, journal_type, entries


def _read_entry(element, number: int) -> JournalEntry:
    if _local(element) != "JournalEntry":
        raise SoapFault(f"The element 'Journal' has invalid child element '{_local(element)}'.")
    values: dict[str, str] = {}
    position = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child)
        if name not in ENTRY_ORDER[position:]:
            raise SoapFault(f"JournalEntry {number}: invalid child element '{name}' (order must be "
                            f"{', '.join(ENTRY_ORDER)}).")
        position = ENTRY_ORDER.index(name) + 1
        values[name] = (child.text or "").strip()
    missing = ENTRY_REQUIRED - {k for k, v in values.items() if v}
    if missing:
        raise SoapFault(f"JournalEntry {number}: missing {', '.join(sorted(missing))}.")
    try:
        entry_date = date.fromisoformat(values["EntryDate"])
    except ValueError as exc:
        raise SoapFault(f"JournalEntry {number}: EntryDate '{values['EntryDate']}' is not yyyy-mm-dd.") from exc
    try:
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
