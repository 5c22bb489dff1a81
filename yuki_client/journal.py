"""The ProcessJournal xmlDoc, built from typed lines and refused before any call when Yuki would
refuse it (docs/vendors/yuki.md, "Journals"; example: Yuki support article 80000787232).

Lines may be `connectors.documents.JournalLine` objects or this module's `EntryLine`: anything with
entry_date, gl_account, amount (Decimal, debit positive) and description, optionally contact_name
and contact_code. This module does not import the portal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from lxml import etree

from yuki_client.errors import JournalError, UnbalancedJournalError

JOURNAL_NS = "urn:xmlns:http://www.theyukicompany.com:journal"
CENT = Decimal("0.01")


class JournalType(StrEnum):
    GENERAL = "GeneralJournal"
    END_OF_YEAR_CORRECTION = "EndOfYearCorrection"
    FISCAL_CORRECTION = "FiscalCorrection"


class JournalLineLike(Protocol):
    entry_date: date
    gl_account: str
    amount: Decimal
    description: str


@dataclass(frozen=True)
class EntryLine:
    """A journal line for use without the portal. `amount`: debit positive, credit negative."""

    entry_date: date
    gl_account: str
    amount: Decimal
    description: str
    contact_name: str = ""
    contact_code: str = ""


@dataclass(frozen=True)
class Journal:
    """A journal ready for ProcessJournal. Creating one checks every rule, so an invalid journal
    never reaches Yuki."""

    subject: str
    lines: tuple
    journal_type: JournalType = JournalType.GENERAL

    def __init__(self, subject: str, lines: Iterable[JournalLineLike],
                 journal_type: JournalType | str = JournalType.GENERAL):
        object.__setattr__(self, "subject", (subject or "").strip())
        object.__setattr__(self, "lines", tuple(lines))
        try:
            object.__setattr__(self, "journal_type", JournalType(journal_type))
        except ValueError as exc:
            raise JournalError(f"Unknown journal type {journal_type!r}: use one of "
                               f"{', '.join(t.value for t in JournalType)}.") from exc
        self._check()

    def _check(self) -> None:
        if not self.subject:
            raise JournalError("A journal needs a subject (DocumentSubject), e.g. 'Loonjournaal november 2026'.")
        if not self.lines:
            raise JournalError(f"Journal '{self.subject}' has no lines.")
        for number, line in enumerate(self.lines, start=1):
            _check_line(self.subject, number, line)
        _check_balanced(self.subject, self.lines)

    def to_xml(self, administration_id: str = "", coc_number: str = "") -> etree._Element:
        """The <Journal> element. Give the administration ID or its CoC number, never both (Yuki refuses
        both with "The element 'Journal' has invalid child element ...")."""
        if bool(administration_id) == bool(coc_number):
            raise JournalError("Give either the Yuki administration ID or its CoC number for the journal, "
                               "not both and not neither.")
        root = etree.Element(f"{{{JOURNAL_NS}}}Journal", nsmap={None: JOURNAL_NS})

        def add(parent, tag: str, text: str):
            etree.SubElement(parent, f"{{{JOURNAL_NS}}}{tag}").text = text

        if administration_id:
            add(root, "AdministrationID", administration_id)
        else:
            add(root, "AdministrationCoCNumber", coc_number)
        add(root, "DocumentSubject", self.subject)
        add(root, "JournalType", self.journal_type.value)
        for line in self.lines:
            entry = etree.SubElement(root, f"{{{JOURNAL_NS}}}JournalEntry")
            # Element order matters (Journal.xsd is a sequence): contact first, then date, account,
            # amount, description. Contact elements are left out when there is no contact.
            if getattr(line, "contact_name", ""):
                add(entry, "ContactName", line.contact_name)
            if getattr(line, "contact_code", ""):
                add(entry, "ContactCode", line.contact_code)
            add(entry, "EntryDate", line.entry_date.isoformat())
            add(entry, "GLAccount", str(line.gl_account))
            add(entry, "Amount", f"{line.amount.quantize(CENT):f}")
            add(entry, "Description", line.description or "")
        return root

    def to_string(self, administration_id: str = "", coc_number: str = "") -> str:
        return etree.tostring(self.to_xml(administration_id, coc_number), encoding="unicode")


def _check_line(subject: str, number: int, line) -> None:
    where = f"Journal '{subject}', line {number}"
    entry_date = getattr(line, "entry_date", None)
    if not isinstance(entry_date, date):
        raise JournalError(f"{where}: the entry date must be a date, got {entry_date!r}.")
    if not str(getattr(line, "gl_account", "") or "").strip():
        raise JournalError(f"{where}: the GL account is missing; map it in the portal's GL account settings.")
    amount = getattr(line, "amount", None)
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise JournalError(f"{where}: the amount must be a Decimal, got {amount!r}.")
    if amount != amount.quantize(CENT):
        raise JournalError(f"{where}: the amount {amount} has more than 2 decimals; Yuki books cents.")


def imbalance(lines) -> tuple[date | None, Decimal] | None:
    """The balanced-journal rule, in one place: all lines must sum to 0.00, and so must the lines of
    each date, or Yuki rejects the whole journal (docs/vendors/yuki.md, "Journals"). None when they do;
    else (None, total) when the total is off, or (date, sum) for the first date that is off."""
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total != 0:
        return None, total
    per_date: dict[date, Decimal] = {}
    for line in lines:
        per_date[line.entry_date] = per_date.get(line.entry_date, Decimal("0.00")) + line.amount
    for day in sorted(per_date):
        if per_date[day] != 0:
            return day, per_date[day]
    return None


def _check_balanced(subject: str, lines: tuple) -> None:
    off = imbalance(lines)
    if off is None:
        return
    day, amount = off
    if day is None:
        raise UnbalancedJournalError(
            f"Journal '{subject}' is not balanced: its lines sum to {amount:f} instead of 0.00, so Yuki would "
            "reject it. Check the source journal and the GL account mapping; nothing was sent.")
    raise UnbalancedJournalError(
        f"Journal '{subject}' is not balanced on {day.isoformat()}: the lines of that date sum to "
        f"{amount:f}. Yuki requires every date to balance; nothing was sent.")
