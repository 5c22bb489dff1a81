"""`YukiClient`: the Yuki operations the portal uses, by service (Accounting, AccountingInfo, Archive,
PettyCash), each one call through yuki_client.connection.YukiConnection (budget, session, typed errors).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from yuki_client import account_transactions, chart, results, transactions
from yuki_client.archive import (
    ALL_FOLDERS,
    ALL_TABS,
    ALL_YEARS,
    FIRST_RECORD,
    SEARCH_DEFAULT_DAYS,
    SEARCH_OPTIONS,
    SEARCH_SORT_ORDER,
    ArchiveFolder,
)
from yuki_client.connection import YukiConnection
from yuki_client.endpoints import Service
from yuki_client.errors import AmbiguousWriteError, YukiConfigurationError, YukiFault
from yuki_client.journal import Journal
from yuki_client.pettycash import PettyCashStatement, SingleStatementLine, check_text


class YukiClient(YukiConnection):
    """A Yuki client: `YukiClient(endpoint, access_key, domain_id=...)` (the arguments: YukiConnection)."""

    # --- session operations ------------------------------------------------------------------
    def domains(self) -> list[results.Domain]:
        return results.read_domains(self.call(Service.ACCOUNTING, "Domains"))

    def set_current_domain(self, domain_id: str) -> None:
        self.call(Service.ACCOUNTING, "SetCurrentDomain", {"domainID": domain_id})

    def get_current_domain(self) -> results.Domain | None:
        found = results.read_domains(self.call(Service.ACCOUNTING, "GetCurrentDomain"))
        return found[0] if found else None

    def administrations(self) -> list[results.Administration]:
        return results.read_administrations(self.call(Service.ACCOUNTING, "Administrations"))

    def administration_id(self, administration_name: str) -> str:
        return self.call(Service.ACCOUNTING, "AdministrationID", {"administrationName": administration_name})

    # --- Accounting --------------------------------------------------------------------------
    def process_journal(self, administration_id: str, journal: Journal, *, coc_number: str = "") -> str:
        """Book a journal; returns the GUID of the created journal document. The journal was checked
        when it was built; the XML goes as XML (an `s:any` element), never as escaped text."""
        if not isinstance(journal, Journal):
            raise TypeError("process_journal takes a yuki_client.Journal")
        xml = journal.to_xml(administration_id="" if coc_number else administration_id, coc_number=coc_number)
        document_id = self.call(Service.ACCOUNTING, "ProcessJournal",
                                {"administrationID": administration_id, "xmlDoc": {"_value_1": xml}},
                                administration_id=administration_id)
        return _require_id(document_id, "ProcessJournal")

    def gl_account_transactions(self, administration_id: str, gl_account: str, start: date,
                                end: date) -> list[transactions.GLAccountTransaction]:
        """The bookings on one general ledger account from `start` to `end` (both days included):
        Accounting.GLAccountTransactions, one call, retried once on an expired session. Raises
        UnreadableAnswerError when Yuki answers in a layout we do not know (yuki_client/transactions.py)."""
        result = self.call(Service.ACCOUNTING, transactions.OPERATION,
                           transactions.params(administration_id, gl_account, start, end),
                           administration_id=administration_id)
        return transactions.read(result)

    def get_transactions(self, administration_id: str, gl_account: str, start: date, end: date, *,
                         data_groups=(), number_of_records: int = account_transactions.MAX_RECORDS,
                         start_record: int = 0) -> list[account_transactions.Transaction]:
        """One page of the transactions on an account (AccountingInfo.GetTransactions), with only the data
        groups named in `data_groups` ("Contact", "ForeignCurrency"): one counted call
        (yuki_client/account_transactions.py)."""
        result = self.call(Service.ACCOUNTING_INFO, account_transactions.OPERATION,
                           account_transactions.params(administration_id, gl_account, start, end,
                                                       data_groups=tuple(data_groups),
                                                       number_of_records=number_of_records,
                                                       start_record=start_record),
                           administration_id=administration_id)
        return account_transactions.read(result)

    def gl_account_scheme(self, administration_id: str) -> list[chart.GLAccount]:
        """The administration's chart of accounts (AccountingInfo.GetGLAccountScheme): one call, a read,
        retried once on an expired session (yuki_client/chart.py)."""
        result = self.call(Service.ACCOUNTING_INFO, chart.OPERATION, {"administrationID": administration_id},
                           administration_id=administration_id)
        return chart.read(result)

    # --- Archive -----------------------------------------------------------------------------
    def upload_document(self, administration_id: str, file_name: str, data: bytes,
                        folder: ArchiveFolder | int = ArchiveFolder.TO_BE_SORTED, **optional) -> str:
        """Upload a file to the archive; returns Yuki's document ID. With any of UploadDocumentWithData's
        fields (currency, amount, cost_category, payment_method, project, remarks) that operation is used."""
        if optional:
            return self.upload_document_with_data(administration_id, file_name, data, folder, **optional)
        params = _upload_params(administration_id, file_name, data, folder)
        return _require_id(self.call(Service.ARCHIVE, "UploadDocument", params,
                                     administration_id=administration_id), "UploadDocument")

    def upload_document_with_data(self, administration_id: str, file_name: str, data: bytes,
                                  folder: ArchiveFolder | int = ArchiveFolder.TO_BE_SORTED, *,
                                  currency: str = "EUR", amount: Decimal = Decimal("0.00"),
                                  cost_category: str = "", payment_method: int = 0, project: str = "",
                                  remarks: str = "") -> str:
        params = _upload_params(administration_id, file_name, data, folder)
        params.update(currency=currency, amount=Decimal(amount), costCategory=cost_category,
                      paymentMethod=int(payment_method), project=project, remarks=remarks)
        return _require_id(self.call(Service.ARCHIVE, "UploadDocumentWithData", params,
                                     administration_id=administration_id), "UploadDocumentWithData")

    def document_folders(self) -> list[results.DocumentFolder]:
        return results.read_folders(self.call(Service.ARCHIVE, "DocumentFolders"))

    def search_documents(self, search_text: str, *, search_option: str = "All",
                         folder: ArchiveFolder | int = ALL_FOLDERS, tab: int = ALL_TABS,
                         start: date | None = None, end: date | None = None, limit: int = 100,
                         offset: int = 0) -> list[results.ArchiveDocument]:
        """Archive documents matching `search_text` (SearchDocuments), newest first: at most `limit`,
        skipping the first `offset`. With the unique file name of an upload whose answer was lost, this
        tells whether it reached Yuki (the text is matched as Yuki sees fit: compare `file_name` exactly).

        `folder`/`tab` -1: all. Dates are calendar days, both included; by default the last
        SEARCH_DEFAULT_DAYS days up to tomorrow (room for clocks that differ); `start=ALL_YEARS`
        (date.min) without `end` searches every year. A read: one call, retried once on an expired session."""
        params = _search_params(search_text, search_option, folder, tab, start, end, limit, offset,
                                self.budget.today())
        return results.read_documents(self.call(Service.ARCHIVE, "SearchDocuments", params))

    # --- PettyCash ---------------------------------------------------------------------------
    def import_statement(self, administration_id: str, statement: PettyCashStatement) -> results.ImportResult:
        result = self.call(Service.PETTYCASH, "ImportStatement",
                           {"administrationID": administration_id, "statementText": statement.to_csv()},
                           administration_id=administration_id)
        return _import_result(result, "ImportStatement")

    def import_single_statement_line(self, line: SingleStatementLine) -> results.ImportResult:
        result = self.call(Service.PETTYCASH, "ImportSingleStatementLine", _single_line_params(line))
        return _import_result(result, "ImportSingleStatementLine")

    def import_single_statement_project_line(self, line: SingleStatementLine, project_code: str,
                                             project_name: str = "") -> results.ImportResult:
        check_text(project_code, "project code", None, 1)
        check_text(project_name, "project name", None, 1)
        params = _single_line_params(line) | {"projectCode": project_code, "projectName": project_name}
        result = self.call(Service.PETTYCASH, "ImportSingleStatementProjectLine", params)
        return _import_result(result, "ImportSingleStatementProjectLine")


def _upload_params(administration_id: str, file_name: str, data: bytes, folder) -> dict:
    if not file_name:
        raise YukiConfigurationError("A file name is required to upload a document to Yuki.")
    if not isinstance(data, bytes | bytearray) or not data:
        raise YukiConfigurationError(f"The document {file_name!r} is empty; nothing was uploaded.")
    return {"fileName": file_name, "data": bytes(data), "folder": int(folder), "administrationID": administration_id}


def _search_params(search_text: str, search_option: str, folder, tab: int, start: date | None,
                   end: date | None, limit: int, offset: int, today: date) -> dict:
    if not isinstance(search_text, str) or not search_text.strip():
        # An empty search would list the archive; a caller checking an upload must name it.
        raise YukiConfigurationError("A search text is required to search Yuki's archive.")
    if search_option not in SEARCH_OPTIONS:
        raise YukiConfigurationError(f"Unknown Yuki search option {search_option!r}: use one of "
                                     f"{', '.join(SEARCH_OPTIONS)}.")
    if int(folder) < ALL_FOLDERS or int(tab) < ALL_TABS:
        raise YukiConfigurationError("Folder and tab are a Yuki ID, or -1 for all.")
    if int(limit) < 1 or int(offset) < 0:
        raise YukiConfigurationError("A search returns at least 1 document (limit) from offset 0 or later.")
    if start == ALL_YEARS and end is None:
        end = ALL_YEARS  # '0001-01-01' as date selection: every year
    else:
        end = end or today + timedelta(days=1)
        if start is None:
            start = min(today, end) - timedelta(days=SEARCH_DEFAULT_DAYS)
        if start > end:
            raise YukiConfigurationError(f"The search starts ({start}) after it ends ({end}).")
    return {
        "searchOption": search_option, "searchText": search_text.strip(), "folderID": int(folder),
        "tabID": int(tab), "sortOrder": SEARCH_SORT_ORDER, "startDate": datetime.combine(start, dtime()),
        "endDate": datetime.combine(end, dtime() if end == ALL_YEARS else dtime(23, 59, 59)),
        "numberOfRecords": int(limit), "startRecord": FIRST_RECORD + int(offset),
    }


def _single_line_params(line: SingleStatementLine) -> dict:
    return {
        "accountGlCode": line.account_gl_code, "transactionCode": line.transaction_code,
        "offsetAccount": line.offset_account, "offsetName": line.offset_name,
        "transactionDate": datetime.combine(line.transaction_date, dtime()),
        "transactionDescription": line.description, "amount": line.amount,
    }


def _require_id(value, operation: str) -> str:
    if not value or not str(value).strip():
        # Yuki processed the call but gave no ID: it may well be booked, so never a plain refusal.
        raise AmbiguousWriteError(f"Yuki answered {operation} without a document ID; check in Yuki whether the "
                                  "document arrived before sending it again.", operation=operation)
    return str(value).strip()


def _import_result(result, operation: str) -> results.ImportResult:
    imported, error = results.read_import_result(result)
    if error:
        raise YukiFault(f"Yuki refused {operation}: {error}", operation=operation, fault_message=error)
    return imported
