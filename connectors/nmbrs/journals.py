"""Nmbrs journal XML (`Journals_GetByRunCompany_v2`) -> balanced `JournalLine`s.

The layout of this XML is not publicly documented (docs/vendors/nmbrs.md lists the operation, not the format).
So the element names we accept are in one table below: a real account that shows other names
changes only `TAGS`. Amounts are read with either decimal separator.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from connectors.documents import JournalLine, UnbalancedJournal, check_balanced
from connectors.nmbrs.errors import UnusableJournal

TAGS = {
    "line": ("JournalLine", "JournalEntry", "Line", "Regel"),
    "gl_account": ("LedgerAccount", "GLAccount", "GeneralLedgerAccount", "Grootboekrekening", "Account"),
    "gl_name": ("LedgerAccountName", "GLAccountName", "AccountName", "GrootboekOmschrijving"),
    "description": ("Description", "Omschrijving"),
    "debit": ("Debit", "Debet"),
    "credit": ("Credit", "Krediet"),
    "cost_centre": ("CostCenter", "CostCentre", "Kostenplaats"),
    "date": ("Date", "JournalDate", "Datum", "BookingDate"),
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _field(el, key: str) -> str:
    for child in el:
        if _local(child) in TAGS[key]:
            return (child.text or "").strip()
    return ""


def parse_amount(text: str) -> Decimal:
    """'1234.56', '1234,56', '1.234,56', '1,234.56', '' -> Decimal."""
    value = text.strip().replace(" ", "")
    if not value:
        return Decimal("0")
    if "," in value and "." in value:
        decimal_sep = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        value = value.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in value:
        value = value.replace(",", ".")
    return Decimal(value)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def parse_journal(xml: str | bytes, default_date: date) -> tuple[JournalLine, ...]:
    """Lines dated with the journal's own date (or `default_date`, the period end), zero lines dropped.
    Raises UnusableJournal when the XML has no lines, unreadable amounts, or does not balance."""
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnusableJournal(f"The Nmbrs journal is not readable XML: {exc}") from exc
    journal_date = _parse_date(_field(root, "date")) or default_date
    lines = []
    for el in root.iter():
        if _local(el) not in TAGS["line"]:
            continue
        account = _field(el, "gl_account")
        try:
            debit, credit = parse_amount(_field(el, "debit")), parse_amount(_field(el, "credit"))
        except InvalidOperation as exc:
            raise UnusableJournal(f"The Nmbrs journal has an unreadable amount on account {account!r}.") from exc
        if debit == 0 and credit == 0:
            continue
        if not account:
            raise UnusableJournal("The Nmbrs journal has a line without a ledger account.")
        lines.append(JournalLine.from_debit_credit(
            entry_date=_parse_date(_field(el, "date")) or journal_date, gl_account=account, debit=debit,
            credit=credit, description=_field(el, "description") or _field(el, "gl_name") or account,
            cost_centre=_field(el, "cost_centre"),
        ))
    if not lines:
        raise UnusableJournal("The Nmbrs journal holds no lines with an amount.")
    try:
        check_balanced(lines)
    except UnbalancedJournal as exc:
        raise UnusableJournal(f"The Nmbrs journal does not balance: {exc}. Check the run's journal in Nmbrs.") \
            from exc
    return tuple(lines)
