"""Loket's deep check (PayrollSource.deep_check): the import's own read calls for one period, every
answer compared with the fields the code reads (docs/vendors/loket.md lists which are guesses).

The import's fetch code runs unchanged on a client that records each answer; nothing is booked, and
Loket is only read (GET). The recorded answers are then compared with SHAPES, and redacted for
`--sample` (connectors.shapes).
"""

from __future__ import annotations

import json
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors.documents import DocumentKind, Period
from connectors.loket import endpoints
from connectors.loket.errors import LoketError, LoketNotFound
from connectors.loket.fetchers import LoketSource
from connectors.shapes import Shape, compare, redact
from portal.imports.waiting import report_fetched
from portal.sentences import fill
from portal.sources.base import DeepReport
from portal.sources.messages import user_message

# Per resource: the fields of one item the code reads, and the other fields the references and the
# sandbox show. The list answers' items; a detail answer's `content`.
SHAPES: dict[str, Shape] = {
    endpoints.ADMINISTRATIONS: Shape(
        frozenset({"id", "clientNumber", "wageTaxNumber"}),
        frozenset({"employerId", "description", "isPayrollAdministration", "startDate", "endDate", "name",
                   "administrationNumber", "employer", "payrollAdministrationType", "groupCode"})),
    endpoints.PAYROLL_PERIODS: Shape(
        frozenset({"id", "year", "periodNumber"}),
        frozenset({"startDate", "endDate", "payrollPeriodType", "hasApprovedPayrollRun", "hasSuccessfulJournalRun",
                   "periodStartDate", "periodEndDate", "testYear", "payrollPeriod"})),
    endpoints.EMPLOYMENTS: Shape(
        frozenset({"id", "startDate"}),
        frozenset({"endDate", "employee", "payrollAdministration", "employmentNumber", "employer",
                   "incomeRelationshipNumber", "typeOfEmployment", "historicalStartDate"})),
    endpoints.PAYSLIP_LIST: Shape(
        frozenset({"payrollrunId", "payrollPeriod"}),
        frozenset({"id", "sequenceNumber", "payrollRunDescription", "periodStartDate", "periodEndDate",
                   "payrollComponentResults", "employmentId", "approvalTime", "numberOfPayslips"})),
    endpoints.JOURNAL_RUNS: Shape(
        frozenset({"id", "journalRunStatus", "payrollRun", "removeTime"}),
        frozenset({"sequenceNumber", "methodOfCreation", "requestTime", "processingFinishedTime", "removedBy"})),
    endpoints.JOURNAL_RUN_RESULTS: Shape(
        frozenset({"generalLedgerAccount", "debetAmount", "creditAmount"}),
        frozenset({"id", "costCenter", "payrollComponent", "costUnit", "journalProfile", "employment",
                   "description", "debitCredit"})),
    endpoints.TAX_RETURNS: Shape(
        frozenset({"id", "period", "payrollTaxReturnStatus", "removalTime"}),
        frozenset({"wageTaxNumber", "payrollTaxReturnType", "totalAmount", "periodAmount", "correctionAmount",
                   "paymentReference", "messageReference", "sendTime", "sequenceNumber"})),
    endpoints.TAX_RETURN: Shape(
        frozenset({"id", "payrollTaxReturnStatus"}),
        frozenset({"wageTaxNumber", "period", "payrollTaxReturnType", "totalAmount", "periodAmount",
                   "correctionAmount", "paymentReference", "messageReference", "sendTime", "removalTime",
                   "sequenceNumber"})),
}
# Journal run status keys the code knows: 0-3 have no results yet, 4 is processed (docs/vendors/loket.md).
KNOWN_JOURNAL_RUN_STATUS_KEYS = endpoints.JOURNAL_RUN_STATUSES_WITHOUT_RESULTS | {4}
_IDS = re.compile(r"\\\{[a-z_]+\\\}")


def _pattern(template: str) -> re.Pattern:
    return re.compile("^" + _IDS.sub("[^/]+", re.escape(template)) + "$")


RESOURCES = [(template, _pattern(template)) for template in
             sorted([*SHAPES, endpoints.PAYSLIP_SUMMARY_METADATA], key=len, reverse=True)]


def resource_of(path: str) -> str:
    return next((template for template, pattern in RESOURCES if pattern.match(path)), "")


# What each call reads, in words: the report names a call so, not by its path (a person reads the report;
# the --sample files keep each answer's path). Files after the JSON resources: a payslip's
# .../summary/{id} would also match .../summary/metadata.
CALL_NAMES = {
    endpoints.ADMINISTRATIONS: gettext_lazy("payroll administrations"),
    endpoints.PAYROLL_PERIODS: gettext_lazy("payroll periods"),
    endpoints.EMPLOYMENTS: gettext_lazy("employments"),
    endpoints.PAYSLIP_LIST: gettext_lazy("an employment's payslips"),
    endpoints.PAYSLIP_SUMMARY_METADATA: gettext_lazy("an employment's payslips"),
    endpoints.JOURNAL_RUNS: gettext_lazy("journal runs"),
    endpoints.JOURNAL_RUN_RESULTS: gettext_lazy("journal run results"),
    endpoints.TAX_RETURNS: gettext_lazy("wage tax returns"),
    endpoints.TAX_RETURN: gettext_lazy("wage tax returns"),
}
FILE_NAMES = [(_pattern(template), name) for template, name in (
    (endpoints.PAYSLIP_PDF, gettext_lazy("payslip (file)")),
    (endpoints.TAX_RETURN_MESSAGE, gettext_lazy("wage tax return (file)")),
    *((template, gettext_lazy("wage tax return (file)")) for template in endpoints.TAX_RETURN_REPORTS))]


def call_name(path: str) -> str:
    """The call that read `path`, in words ("salarisadministraties"); the path itself if it is none of ours."""
    resource = resource_of(path)
    if resource in CALL_NAMES:
        return str(CALL_NAMES[resource])
    return next((str(name) for pattern, name in FILE_NAMES if pattern.match(path)), path)


class Recorder:
    """Wraps a LoketClient's JSON and file reads: every answer kept, in the order asked."""

    def __init__(self, client):
        self.answers: list[tuple[str, dict]] = []
        self.files: list[tuple[str, str, int]] = []
        read_json, read_file = client._json, client.get_file

        def _json(path, params, version):
            body = read_json(path, params, version)
            self.answers.append((path, body))
            return body

        def get_file(path, media, **kwargs):
            file = read_file(path, media, **kwargs)
            self.files.append((path, file.media_type, len(file.content)))
            return file

        client._json, client.get_file = _json, get_file


def deep_check(client, client_number: str, wage_tax_number: str, period: Period) -> DeepReport:
    report = DeepReport()
    recorder = Recorder(client)
    source = LoketSource(client)
    try:
        admin = source.find_administration(client_number, wage_tax_number)
    except LoketError as exc:
        report.add("error", call_name(endpoints.ADMINISTRATIONS), user_message(exc))
        report.samples = samples(recorder.answers)
        return report
    report.add("ok", call_name(endpoints.ADMINISTRATIONS), fill(_("Payroll administration found: %(name)s."), {
        "name": admin.description or admin.id}))
    _check_answers(report, recorder.answers)
    for kind, label in ((DocumentKind.PAYSLIP, _("payslips")), (DocumentKind.JOURNAL, _("journal entries")),
                        (DocumentKind.WAGE_TAX_RETURN, _("wage tax returns"))):
        waiting: list = []
        before = len(recorder.answers)
        try:
            documents = source.documents_of(admin, period, [kind], waiting)
        except LoketNotFound as exc:
            report.add("error", call_name(getattr(exc, "path", "")) or label,
                       _("An id does not resolve: %(message)s") % {"message": user_message(exc)})
            continue
        except LoketError as exc:
            report.add("error", call_name(getattr(exc, "path", "")) or label, user_message(exc))
            continue
        except (KeyError, TypeError, ValueError) as exc:
            report.add("error", label, _("The answer has not the shape the code expects (%(error)s).") % {
                "error": f"{type(exc).__name__}: {exc}"})
            continue
        report_fetched(report, label, period, documents, waiting)
        _check_answers(report, recorder.answers[before:])
    for path, media_type, size in recorder.files:
        report.add("ok", call_name(path), _("File readable: %(media)s, %(size)s bytes.") % {
            "media": media_type, "size": number_format(size, force_grouping=True)})
    report.samples = samples(recorder.answers)
    return report


def _items(resource: str, body: dict) -> list[dict]:
    if resource == endpoints.TAX_RETURN:
        return [body.get("content")] if isinstance(body.get("content"), dict) else []
    items = body.get("_embedded")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _check_answers(report: DeepReport, answers: list[tuple[str, dict]]) -> None:
    seen_unexpected: set[tuple[str, str]] = set()
    for path, body in answers:
        resource = resource_of(path)
        shape = SHAPES.get(resource)
        if shape is None:
            continue
        for item in _items(resource, body):
            missing, unexpected = compare(item, shape)
            if missing:
                report.add("warning", call_name(path), _("Fields the code reads are missing: %(fields)s.") % {
                    "fields": ", ".join(missing)})
            new = [name for name in unexpected if (resource, name) not in seen_unexpected]
            seen_unexpected.update((resource, name) for name in new)
            if new:
                report.add("warning", call_name(path), _("Fields the code does not know: %(fields)s.") % {
                    "fields": ", ".join(new)})
            if resource == endpoints.JOURNAL_RUNS:
                status = item.get("journalRunStatus") or {}
                if status.get("key") not in KNOWN_JOURNAL_RUN_STATUS_KEYS:
                    report.add("warning", call_name(path), _("Unknown journal run status: %(status)s.") % {
                        "status": json.dumps(status, ensure_ascii=False)})


def samples(answers: list[tuple[str, dict]]) -> dict[str, bytes]:
    """The answers, redacted, one JSON file per call, named after the order and the resource."""
    out = {}
    for number, (path, body) in enumerate(answers, start=1):
        name = (resource_of(path) or path).rstrip("/").rsplit("/", 1)[-1].strip("{}") or "answer"
        document = {"path": path, "answer": redact(body)}  # resource ids are opaque GUIDs
        out[f"loket-{number:03d}-{name}.json"] = json.dumps(document, indent=2, ensure_ascii=False).encode()
    return out
