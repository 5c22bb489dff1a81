"""The test source as the engine sees it: portal.sources.base.PayrollSource on SourceBase's defaults, with
its own card on the administration form and its own model (models.py)."""

from __future__ import annotations

from datetime import datetime

from connectors.documents import DocumentKind
from portal.sources.base import EmployerId, Slot, SourceBase, SourceUnavailable
from tests.engine.third_source import vendor
from tests.engine.third_source.forms import PaperclipAdministrationForm
from tests.engine.third_source.models import employer_code


class Session:
    def __init__(self, employer: str):
        self.employer = employer
        self.closed = False

    def fetch(self, period, kinds):
        fetchers = {DocumentKind.PAYSLIP: vendor.OFFICE.payslips, DocumentKind.JOURNAL: vendor.OFFICE.journal}
        return [document for kind in kinds for document in fetchers[kind](self.employer, period)]

    def close(self):
        self.closed = True


class PaperclipPayrollSource(SourceBase):
    key = vendor.SOURCE
    label = "Paperclip Payroll"
    name = "Paperclip"
    document_kinds = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL)
    administration_form = PaperclipAdministrationForm()
    administration_relations = ("paperclip_link",)

    def slot(self, import_settings, now: datetime) -> Slot | None:
        """Due once a day from noon (UTC, to keep the test simple)."""
        if now.hour < 12:
            return None
        return Slot(f"{self.key}:{now.date().isoformat()}", now.date())

    def blocking_reason(self, effective) -> str:
        return "" if employer_code(effective.administration) else "The employer code is missing."

    def connection_state(self, effective) -> dict:
        return {"ok": vendor.OFFICE.open, "label": "Paperclip open" if vendor.OFFICE.open else "Paperclip closed",
                "origin": "administration"}

    def validate_administration(self, administration) -> dict[str, str]:
        return {} if employer_code(administration) else {"paperclip_employer_code": "Paperclip needs the code."}

    def employer_of(self, administration):
        return EmployerId(employer_code(administration)) if employer_code(administration) else None

    def open(self, effective, plan) -> Session:
        if not vendor.OFFICE.open:
            raise SourceUnavailable("Paperclip is closed today.")
        return Session(employer_code(effective.administration))
