"""Nmbrs' deep check (PayrollSource.deep_check): the import's own read calls for one period, each answer
compared with what the code expects (docs/vendors/nmbrs.md lists which names and texts are guesses).

The import's fetch code runs unchanged on a client whose `call` records each answer; nothing is
booked, and only read operations are called (no *_Set*, *_Insert*, *_Update*). zeep already checks
the answers against the WSDL; what it cannot check is ours to compare: the wage tax status texts
(connectors/nmbrs/wage_tax_statuses.py), the journal XML's elements the reader does not know
(connectors/nmbrs/journals.py; each named, since the import ignores them),
fields the records read that are empty, and lists that are empty where documents were expected.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from zeep.helpers import serialize_object

from connectors.documents import DocumentKind, Period
from connectors.nmbrs import journals, operations, wage_tax_statuses
from connectors.nmbrs.errors import NmbrsError, NotFound, UnusableJournal
from connectors.nmbrs.source import NmbrsSource
from connectors.shapes import redact, redact_xml
from portal.imports.waiting import report_fetched
from portal.sources.base import DeepReport
from portal.sources.messages import user_message

# Fields of the list items the records read (connectors/nmbrs/records.py): empty is a finding.
READS = {
    "Run_GetList": ("ID", "Number", "Year", "PeriodStart", "PeriodEnd"),
    "WageTax_GetList": ("LoonaangifteID", "Period", "Year", "Status"),
}

# What each operation reads, in words: the report names a call so, not by Nmbrs' operation name (a person
# reads the report; the --sample files are named after the operations).
CALL_NAMES = {
    "Run_GetList": gettext_lazy("payroll runs"),
    "WageTax_GetList": gettext_lazy("wage tax returns"),
    operations.JOURNAL: gettext_lazy("journal entries"),
}


def call_name(operation: str) -> str:
    return str(CALL_NAMES.get(operation, operation))


class Recorder:
    """Wraps an NmbrsClient's `call`: every answer kept, serialised, in the order asked."""

    def __init__(self, client):
        self.answers: list[tuple[str, object]] = []
        call = client.call

        def recording_call(service, operation, **params):
            result = call(service, operation, **params)
            self.answers.append((operation, serialize_object(result)))
            return result

        client.call = recording_call


def deep_check(client, company_id: int | None, wage_tax_status: str | None, period: Period) -> DeepReport:
    report = DeepReport()
    if not company_id:
        report.add("error", "Nmbrs", _("No Nmbrs company is linked to this administration yet."))
        return report
    recorder = Recorder(client)
    source = NmbrsSource(client)
    for kind, label in ((DocumentKind.PAYSLIP, _("payslips")), (DocumentKind.JOURNAL, _("journal entries")),
                        (DocumentKind.SEPA, _("SEPA files")), (DocumentKind.WAGE_TAX_RETURN, _("wage tax returns"))):
        waiting: list = []
        try:
            documents = source.documents(company_id, period, [kind], wage_tax_status=wage_tax_status,
                                         waiting=waiting)
        except NotFound as exc:
            report.add("error", label, _("An id does not resolve: %(message)s") % {"message": user_message(exc)})
            continue
        except NmbrsError as exc:
            report.add("error", label, user_message(exc))
            continue
        report_fetched(report, label, period, documents, waiting)
    _check_answers(report, recorder.answers)
    report.samples = samples(recorder.answers)
    return report


def _check_answers(report: DeepReport, answers: list[tuple[str, object]]) -> None:
    unknown_statuses: set[str] = set()
    for operation, answer in answers:
        items = _items(answer)
        if operation in READS:
            for item in items:
                empty = [name for name in READS[operation] if item.get(name) in (None, "")]
                if empty:
                    report.add("warning", call_name(operation),
                               _("Fields the code reads are empty: %(fields)s.") % {"fields": ", ".join(empty)})
        if operation == "Run_GetList" and not items:
            report.add("warning", call_name(operation), _("Nmbrs shows no payroll runs in this year."))
        if operation == "WageTax_GetList":
            unknown_statuses |= {str(item.get("Status") or "") for item in items
                                 if wage_tax_statuses.unknown(str(item.get("Status") or ""))}
        if operation == operations.JOURNAL and isinstance(answer, str):
            _check_journal(report, answer)
    for status in sorted(unknown_statuses):
        report.add("warning", call_name("WageTax_GetList"),
                   _("A wage tax status the code does not know: '%(status)s'.") % {"status": status})


def _check_journal(report: DeepReport, xml: str) -> None:
    """Every element the journal reader does not know (connectors/nmbrs/journals.py, `KNOWN`), named:
    the import ignores it, so a person decides whether it mattered (a new dimension, a VAT code)."""
    try:
        root = journals.parse_root(xml)
    except UnusableJournal:
        report.add("error", call_name(operations.JOURNAL), _("The journal is not readable XML."))
        return
    for path in journals.unknown_elements(root):
        report.add("warning", call_name(operations.JOURNAL),
                   _("Unknown element '%(name)s' in journal entry ignored.") % {"name": path})


def _items(answer) -> list[dict]:
    if isinstance(answer, list):
        return [item for item in answer if isinstance(item, dict)]
    if isinstance(answer, dict):
        inner = next((v for v in answer.values() if isinstance(v, list)), None)
        return [item for item in inner or [] if isinstance(item, dict)]
    return []


def samples(answers: list[tuple[str, object]]) -> dict[str, bytes]:
    """Each answer redacted: list answers as JSON, XML texts as XML; PDFs are left out (their size only)."""
    out = {}
    for number, (operation, answer) in enumerate(answers, start=1):
        stem = f"nmbrs-{number:03d}-{operation}"
        if isinstance(answer, str) and answer.lstrip().startswith("<"):
            out[f"{stem}.xml"] = redact_xml(answer.encode())
        elif isinstance(answer, (bytes, bytearray)):
            out[f"{stem}.json"] = json.dumps({"operation": operation, "bytes": len(answer)}).encode()
        else:
            out[f"{stem}.json"] = json.dumps({"operation": operation, "answer": redact(answer)}, indent=2,
                                             ensure_ascii=False, default=str).encode()
    return out
