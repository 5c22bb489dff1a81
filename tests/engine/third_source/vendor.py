"""The test source's "vendor": a payroll office that keeps one month's payslips and journal in memory.

Like a connector under connectors/, it knows nothing of Django; it maps what it holds to SourceDocuments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from connectors.documents import DocumentKind, JournalLine, Period, SourceDocument
from connectors.errors import SourceError

SOURCE = "paperclip"


class OfficeClosed(SourceError):
    transient = True
    user_message = "Het loonkantoor is gesloten."  # a test source: its text needs no catalog


class PayrollOffice:
    def __init__(self, employees=("A. de Vries", "B. Jansen"), *, open_=True):
        self.employees = employees
        self.open = open_
        self.calls: list[tuple[str, str]] = []
        self.desks: dict[str, str] = {}  # administration name -> its desk at the office (its form card)

    def payslips(self, employer: str, period: Period) -> list[SourceDocument]:
        self._call("payslips", employer)
        return [SourceDocument(source=SOURCE, kind=DocumentKind.PAYSLIP, source_id=f"{employer}:{period.key}:{n}",
                               period=period, title=f"Loonstrook {name} {period.key}",
                               file_name=f"loonstrook-{n}-{period.key}.pdf",
                               content=b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
                for n, name in enumerate(self.employees, 1)]

    def journal(self, employer: str, period: Period) -> list[SourceDocument]:
        self._call("journal", employer)
        day = date(period.year, period.number, 25)
        gross = Decimal("1000.00") * len(self.employees)
        lines = (JournalLine(entry_date=day, gl_account="4000", amount=gross, description="Brutoloon"),
                 JournalLine(entry_date=day, gl_account="1600", amount=-gross, description="Te betalen netto"))
        return [SourceDocument(source=SOURCE, kind=DocumentKind.JOURNAL, source_id=f"{employer}:{period.key}:journal",
                               period=period, title=f"Loonjournaal {period.key}", journal_lines=lines)]

    def _call(self, what: str, employer: str) -> None:
        if not self.open:
            raise OfficeClosed("the payroll office is closed")
        self.calls.append((what, employer))


OFFICE = PayrollOffice()  # the one office the tests look at
