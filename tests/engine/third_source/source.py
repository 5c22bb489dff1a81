"""The test source as the engine sees it: portal.sources.base.PayrollSource, nothing more."""

from __future__ import annotations

from datetime import datetime

from connectors.documents import DocumentKind
from portal.sources.base import CheckLine, DeepReport, EmployerId, Slot, SourceUnavailable
from tests.engine.third_source import vendor
from tests.engine.third_source.forms import PaperclipAdministrationForm


class Session:
    def __init__(self, employer: str):
        self.employer = employer
        self.closed = False

    def fetch(self, period, kinds):
        fetchers = {DocumentKind.PAYSLIP: vendor.OFFICE.payslips, DocumentKind.JOURNAL: vendor.OFFICE.journal}
        return [document for kind in kinds for document in fetchers[kind](self.employer, period)]

    def close(self):
        self.closed = True


class PaperclipPayrollSource:
    key = vendor.SOURCE
    label = "Paperclip Payroll"
    name = "Paperclip"
    document_kinds = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL)
    on_request_kinds = ()
    administration_fields_template = ""
    administration_template = ""
    portal_settings_template = ""
    domain_actions_template = ""
    annual_documents_template = ""
    administration_form = PaperclipAdministrationForm()
    portal_defaults = ()  # no access to share: each administration's own
    sandbox = ""  # the sandbox does not simulate it
    urls = ""
    administration_relations = ()
    shared_access_switch = ""  # its access is each administration's own

    def slot(self, import_settings, now: datetime) -> Slot | None:
        """Due once a day from noon (UTC, to keep the test simple)."""
        if now.hour < 12:
            return None
        return Slot(f"{self.key}:{now.date().isoformat()}", now.date())

    def blocking_reason(self, effective) -> str:
        return "" if effective.administration.loket_client_number else "The employer code is missing."

    def connection_state(self, effective) -> dict:
        return {"ok": vendor.OFFICE.open, "label": "Paperclip open" if vendor.OFFICE.open else "Paperclip closed",
                "origin": "administration"}

    def check_connection(self, effective) -> list[CheckLine]:
        return [CheckLine("Paperclip", vendor.OFFICE.open, "open" if vendor.OFFICE.open else "closed")]

    def deep_check(self, effective, period) -> DeepReport:
        report = DeepReport()
        report.add("ok" if vendor.OFFICE.open else "error", "Paperclip", "open" if vendor.OFFICE.open else "closed")
        return report

    def validate_administration(self, administration) -> dict[str, str]:
        return {} if administration.loket_client_number else {"loket_client_number": "Paperclip needs the code."}

    def employer_of(self, administration):
        return EmployerId(administration.loket_client_number) if administration.loket_client_number else None

    def employer_id(self, number, wage_tax_number):
        return EmployerId(number.strip())

    def employer_fields(self, employer) -> dict:
        return {"loket_client_number": employer.number}

    def shared_employers(self, portal):
        return [], ""

    def prepare(self, effective) -> str:
        return ""

    def open(self, effective, plan) -> Session:
        if not vendor.OFFICE.open:
            raise SourceUnavailable("Paperclip is closed today.")
        return Session(effective.administration.loket_client_number)
