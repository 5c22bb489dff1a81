"""Loket JSON (and downloaded files) -> `SourceDocument`s. Pure functions, no HTTP.

Source ids are built from Loket's own stable ids, so fetching the same document again gives the
same id, and a corrected document (new bytes) the same id with a new content hash:
  payslip          loket:payslip:<employmentId>:<payrollPeriodId>
  journal          loket:journal:<journalRunId>
  wage tax return  loket:wage_tax_return:<payrollTaxReturnId>:report  (PDF, the document to book)
                   loket:wage_tax_return:<payrollTaxReturnId>:message (XML loonaangiftebericht)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from connectors.documents import (
    DocumentKind,
    JournalLine,
    Period,
    SourceDocument,
    UnbalancedJournal,
    WaitingDocument,
    WaitReason,
)
from connectors.loket.administrations import LoketAdministration
from connectors.loket.client import LoketFile
from connectors.loket.errors import LoketDataError

# The key the portal registers this source under; every document carries it (ledger keys use it).
SOURCE = "loket"

ZERO = Decimal("0.00")


def amount(value, what: str = "amount") -> Decimal:
    """Loket sends amounts as JSON numbers; go through str so 0.1 stays 0.1, never 0.1000000000000000055."""
    if value is None or value == "":
        return ZERO
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise LoketDataError(f"Loket sent {value!r} as {what}, which is not a number.") from exc


def _date(value) -> date:
    return date.fromisoformat(str(value)[:10])


def period_from_loket(item: dict) -> Period:
    """A Loket payroll period ({year, periodNumber, startDate, endDate}) as our Period."""
    return Period(int(item["year"]), int(item["periodNumber"]), _date(item["startDate"]), _date(item["endDate"]))


def matches_period(ref: dict | None, period: Period) -> bool:
    """Whether a Loket period reference ({year, periodNumber, ...}) is `period`."""
    if not isinstance(ref, dict):
        return False
    try:
        return int(ref.get("year")) == period.year and int(ref.get("periodNumber")) == period.number
    except (TypeError, ValueError):
        return False


def _base_metadata(admin: LoketAdministration) -> dict:
    return {"administration_id": admin.id, "employer_id": admin.employer_id,
            "client_number": admin.client_number, "wage_tax_number": admin.wage_tax_number}


def summary_period_id(body: dict, period: Period, employment_id: str) -> str:
    """The cumulative payslip's {payrollPeriodId} for `period`, read from .../payslips/summary/metadata.

    The spec says the ids come from there but shows no answer. Read with Loket's metadata convention
    (docs/vendors/loket.md): options with a `key` (the id) under `content.<field>`, or a list of
    {field, options}; the option's period as {year, periodNumber} on the option or inside a
    `payrollPeriod`/`period` object. Which fields carry the period is our guess: if none can be read,
    this says so rather than skip the payslip."""
    content = body.get("content", body)
    groups = list(content.values()) if isinstance(content, dict) else \
        [group.get("options") for group in content if isinstance(group, dict)] if isinstance(content, list) else []
    options = [option for group in groups if isinstance(group, list) for option in group if isinstance(option, dict)]
    for option in options:
        refs = [option, option.get("payrollPeriod"), option.get("period")]
        if option.get("key") not in (None, "") and any(matches_period(ref, period) for ref in refs):
            return str(option["key"])
    raise LoketDataError(
        f"Loket lists {len(options)} payslip period(s) for employment {employment_id}, none recognisable as "
        f"{period.key}: the payslip of that period cannot be downloaded. Report this to the portal's maintainers "
        "(the shape of Loket's payslip period list differs from what the portal expects).")


def payslip_document(admin: LoketAdministration, employment: dict, payroll_period_id, period: Period,
                     pdf: LoketFile, payroll_run_ids: list[str], *, summary_period_id: str = "") -> SourceDocument:
    employee = employment.get("employee") or {}
    number = str(employee.get("employeeNumber") or "")
    name = str(employee.get("formattedName") or " ".join(
        part for part in (employee.get("firstName"), employee.get("lastName")) if part) or number)
    label = f"{name} ({number})" if number and number != name else name
    return SourceDocument(
        source=SOURCE, kind=DocumentKind.PAYSLIP,
        source_id=f"loket:payslip:{employment['id']}:{payroll_period_id}",
        period=period, title=f"Loonstrook {period.key} {label}",
        file_name=f"loonstrook-{period.key}-{number or employment['id']}.pdf", content=pdf.content,
        metadata={**_base_metadata(admin), "employment_id": str(employment["id"]), "employee_number": number,
                  "employee_name": name, "payroll_period_id": str(payroll_period_id),
                  "summary_period_id": str(summary_period_id),
                  "payroll_run_ids": list(payroll_run_ids)})


def journal_lines(results: list[dict], period: Period) -> list[JournalLine]:
    """One line per result with an amount, dated the last day of the period (Yuki balances per date)."""
    lines = []
    for result in results:
        account = result.get("generalLedgerAccount") or {}
        code = str(account.get("code") or "").strip()
        debit = amount(result.get("debetAmount"), "debetAmount")  # sic: Loket's spelling
        credit = amount(result.get("creditAmount"), "creditAmount")
        if debit == ZERO and credit == ZERO:
            continue
        if not code:
            raise LoketDataError(f"A journal line of Loket's journal run for {period.key} has no general ledger "
                                 "account. Complete the journal profile (grootboekrekeningen) in Loket.")
        centre = result.get("costCenter") or {}
        description = str(account.get("description") or (result.get("payrollComponent") or {}).get("description")
                          or code)
        lines.append(JournalLine.from_debit_credit(
            entry_date=period.end, gl_account=code, debit=debit, credit=credit,
            description=f"Salarisjournaal {period.key} {description}",
            cost_centre=str(centre.get("code") or "")))
    return lines


def journal_document(admin: LoketAdministration, run: dict, results: list[dict], period: Period) -> SourceDocument:
    lines = journal_lines(results, period)
    if not lines:
        raise LoketDataError(f"Loket's journal run for {period.key} has no amounts. Check the journal run in Loket.")
    sequence = run.get("sequenceNumber")
    status = run.get("journalRunStatus") or {}
    try:
        return SourceDocument(
            source=SOURCE, kind=DocumentKind.JOURNAL, source_id=f"loket:journal:{run['id']}",
            period=period, title=f"Salarisjournaal {period.key}" + (f" (run {sequence})" if sequence else ""),
            journal_lines=tuple(lines),
            metadata={**_base_metadata(admin), "journal_run_id": str(run["id"]),
                      "sequence_number": sequence, "status_key": status.get("key"),
                      "status": status.get("value"),
                      "payroll_run_id": (run.get("payrollRun") or {}).get("payrollRunId")})
    except UnbalancedJournal as exc:
        raise LoketDataError(f"Loket's journal run for {period.key} does not balance ({exc}). Check the journal "
                             "profile in Loket; nothing was booked.") from exc


# A wage tax return is booked once it is accepted: before that its report (which prints the status)
# still changes, and each change would be booked again as a new version. The status keys and names
# are not in our reference files (docs/vendors/loket.md): this is the one place to adjust them to a real account.
FINAL_TAX_RETURN_STATUS_KEYS = {4}
FINAL_TAX_RETURN_STATUS_NAMES = {"geaccepteerd", "accepted"}


def tax_return_is_final(tax_return: dict) -> bool:
    status = tax_return.get("payrollTaxReturnStatus") or {}
    return status.get("key") in FINAL_TAX_RETURN_STATUS_KEYS or \
        str(status.get("value") or "").strip().lower() in FINAL_TAX_RETURN_STATUS_NAMES


# The stages before "accepted" (guess, as the sandbox has them: docs/vendors/loket.md): such a return
# waits and is booked by a later import. Any other key is a status the portal does not know.
NOT_FINAL_TAX_RETURN_STATUS_KEYS = {1, 2, 3}


def status_text(status: dict | None) -> str:
    """Loket's own words for a status ({"key": 2, "value": "Goedgekeurd"}): the value, else the key."""
    status = status or {}
    return str(status.get("value") or status.get("key") or "").strip()


def waiting_tax_return(admin: LoketAdministration, tax_return: dict, period: Period) -> WaitingDocument:
    """A return that is not final (or whose status cannot be read), under the key of the report it
    will be booked as (tax_return_documents), so that ledger row is booked once it is final."""
    status = tax_return.get("payrollTaxReturnStatus")
    if not isinstance(status, dict) or (status.get("key") is None and not status.get("value")):
        reason, detail = WaitReason.UNREADABLE, "payrollTaxReturnStatus missing or without key and value"
    elif status.get("key") in NOT_FINAL_TAX_RETURN_STATUS_KEYS:
        reason, detail = WaitReason.NOT_FINAL, ""
    else:
        reason, detail = WaitReason.UNKNOWN_STATUS, f"status key {status.get('key')!r}"
    return WaitingDocument(
        source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN,
        source_id=f"loket:wage_tax_return:{tax_return['id']}:report", period=period,
        title=f"Loonaangifte {period.key}", reason=reason,
        status=status_text(status if isinstance(status, dict) else None), detail=detail)


def waiting_journal(run: dict, period: Period) -> WaitingDocument:
    """A journal run that has no results yet (requested, in progress, failed), under its document's key."""
    sequence = run.get("sequenceNumber")
    return WaitingDocument(
        source=SOURCE, kind=DocumentKind.JOURNAL, source_id=f"loket:journal:{run['id']}", period=period,
        title=f"Salarisjournaal {period.key}" + (f" (run {sequence})" if sequence else ""),
        reason=WaitReason.NOT_FINAL, status=status_text(run.get("journalRunStatus")))


def tax_return_documents(admin: LoketAdministration, tax_return: dict, period: Period,
                         report: LoketFile, message: LoketFile | None) -> list[SourceDocument]:
    status = tax_return.get("payrollTaxReturnStatus") or {}
    total = tax_return.get("totalAmount")
    metadata = {**_base_metadata(admin), "tax_return_id": str(tax_return["id"]),
                "status_key": status.get("key"), "status": status.get("value"),
                "total_amount": str(amount(total, "totalAmount")) if total is not None else None,
                "payment_reference": tax_return.get("paymentReference"),
                "message_reference": tax_return.get("messageReference"),
                "send_time": tax_return.get("sendTime"),
                "return_wage_tax_number": tax_return.get("wageTaxNumber")}
    base = f"loket:wage_tax_return:{tax_return['id']}"
    name = f"loonaangifte-{period.key}-{admin.wage_tax_number}"
    documents = [SourceDocument(
        source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN, source_id=f"{base}:report", period=period,
        title=f"Loonaangifte {period.key}", file_name=f"{name}.pdf", content=report.content,
        metadata={**metadata, "part": "report"})]
    if message is not None:
        documents.append(SourceDocument(
            source=SOURCE, kind=DocumentKind.WAGE_TAX_RETURN, source_id=f"{base}:message", period=period,
            title=f"Loonaangiftebericht {period.key}", file_name=f"{name}.xml", content=message.content,
            metadata={**metadata, "part": "message"}))
    return documents
