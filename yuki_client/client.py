"""`YukiClient`: one access key (or user name) at one Yuki host, for one Yuki domain.

Every call goes through `_send`: call budget first (refused calls are never sent), then zeep + httpx2,
typed errors, one log line. Session-bearing calls go through `call`, which reuses the stored session
ID and re-authenticates once on an expired-session fault (safe for writes: a fault means Yuki did
not process the request).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

import httpx2

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
from yuki_client.budget import DEFAULT_DAILY_BUDGET, CallBudget
from yuki_client.endpoints import WRITE_OPERATIONS, Service, base_url, service_url, session_parameter
from yuki_client.errors import (
    AmbiguousWriteError,
    InvalidAccessKeyError,
    NotSentError,
    SessionExpiredError,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiError,
    YukiFault,
)
from yuki_client.journal import Journal
from yuki_client.pettycash import PettyCashStatement, SingleStatementLine, check_text
from yuki_client.soap import SoapTransportError, invoke, prepare, service_client, shared_http
from yuki_client.store import MemoryStore, YukiStore, fingerprint

logger = logging.getLogger("yuki_client")

# Yuki sessions reportedly last about 24 hours (docs/vendors/yuki.md); renew well before that.
SESSION_TTL_SECONDS = 20 * 3600
DEFAULT_TIMEOUT_SECONDS = 60.0


class YukiClient:
    def __init__(self, endpoint: str, access_key: str | None = None, *, domain_id: str,
                 store: YukiStore | None = None, daily_budget: int = DEFAULT_DAILY_BUDGET,
                 timeout: float = DEFAULT_TIMEOUT_SECONDS, session_ttl: int = SESSION_TTL_SECONDS,
                 user_name: str | None = None, password: str | None = None,
                 wsdl_cache_dir: str | Path | None = None, http: httpx2.Client | None = None, clock=None):
        """`endpoint`: 'NL', 'BE' or a base URL (the sandbox). Authenticate with `access_key`, or with
        `user_name` + `password` (AuthenticateByUserName). `domain_id`: the Yuki domain whose daily call
        count this client's calls go to. `store`: shared sessions and counts (the portal's database store across workers)."""
        self.base_url = base_url(endpoint)
        if access_key:
            self._credential = ("Authenticate", {"accessKey": access_key})
            self._fingerprint = fingerprint(self.base_url, "accessKey", access_key)
        elif user_name and password:
            self._credential = ("AuthenticateByUserName", {"userName": user_name, "password": password})
            self._fingerprint = fingerprint(self.base_url, "userName", user_name, password)
        else:
            raise YukiConfigurationError("A Yuki access key (or a user name and password) is required.")
        if not domain_id:
            raise YukiConfigurationError("The Yuki domain ID is required: API calls are counted per domain.")
        self.domain_id = domain_id
        self.store = store if store is not None else MemoryStore()
        self.budget = CallBudget(self.store, domain_id, daily_budget, clock)
        self.timeout = timeout
        self.session_ttl = session_ttl
        self.wsdl_cache_dir = wsdl_cache_dir
        self.http = http or shared_http()
        self._secrets = tuple(s for s in (access_key, password) if s)

    # --- plumbing ----------------------------------------------------------------------------
    def calls_today(self) -> int:
        """Calls counted today (Europe/Amsterdam) for this client's domain, by every worker."""
        return self.budget.used_today()

    @property
    def daily_budget(self) -> int:
        return self.budget.daily_budget

    def session_id(self, service: Service = Service.ACCOUNTING) -> str:
        """The shared session ID for these credentials; authenticates only when none is stored."""
        return self.store.get_session(self._fingerprint) or self.authenticate(service)

    def authenticate(self, service: Service = Service.ACCOUNTING) -> str:
        """Opens a new session (Authenticate / AuthenticateByUserName) and offers it to the store. When
        another worker stored a live session meanwhile, that one wins and is returned: workers that
        sign in at the same moment all use one session."""
        operation, params = self._credential
        session_id = self._send(service, operation, params)
        if not session_id:
            raise InvalidAccessKeyError("Yuki returned no session for these credentials. Check the access key "
                                        "in Yuki (Settings > API keys / Webservices).", operation=operation)
        return self.store.add_session(self._fingerprint, session_id, self.session_ttl)

    def call(self, service: Service, operation: str, params: dict | None = None, *, administration_id: str = ""):
        """Call any operation that takes a session ID (inserted first, with the operation's casing)."""
        params = params or {}
        self._require_declared(service, operation)  # before signing in: an unknown name costs no call
        with _before_sending(operation):
            session_id = self.session_id(service)
        try:
            return self._send(service, operation, {session_parameter(operation): session_id, **params},
                              administration_id)
        except SessionExpiredError:
            # A fault: Yuki did not process the call, so what fails from here on is still "not sent".
            with _before_sending(operation):
                self.store.drop_session(self._fingerprint, session_id)
        # Another worker may have renewed the session already: use theirs rather than sign in again.
        with _before_sending(operation):
            session_id = self.session_id(service)
        try:
            return self._send(service, operation, {session_parameter(operation): session_id, **params},
                              administration_id)
        except SessionExpiredError as exc:
            raise SessionExpiredError(
                f"Yuki reported the session as expired even right after signing in again ({exc.fault_message}). "
                "Try again later; if it keeps happening, create a new access key in Yuki.",
                operation=operation) from exc

    def _send(self, service: Service, operation: str, params: dict, administration_id: str = ""):
        started = time.perf_counter()
        outcome = "not_sent"
        try:
            with _before_sending(operation):
                # Before counting: reading the WSDL and building the envelope send nothing to Yuki.
                client = service_client(self.base_url, service, self.wsdl_cache_dir)
                address = service_url(self.base_url, service)
                prepared = prepare(client, address, operation, params)
                self.budget.reserve(operation)
            result = invoke(self.http, client, address, operation, prepared, self.timeout)
            outcome = "ok"
            return result
        except SoapTransportError as exc:
            if exc.request_sent and operation in WRITE_OPERATIONS:
                outcome = "ambiguous_write"
                raise AmbiguousWriteError(
                    f"{operation} may have been processed by Yuki: {exc.message} The request had been sent, "
                    "so it is not retried automatically. Check in Yuki whether it was booked before sending "
                    "it again.", operation=operation, cause=exc) from exc
            outcome = type(exc).__name__
            raise
        except YukiDailyLimitReached as exc:
            outcome = type(exc).__name__
            self.budget.limit_reached(operation)  # no worker calls Yuki for this domain again today
            raise
        except Exception as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self._log(service, operation, administration_id, time.perf_counter() - started, outcome)

    def _require_declared(self, service: Service, operation: str) -> None:
        try:
            service_client(self.base_url, service, self.wsdl_cache_dir).service._binding.get(operation)
        except ValueError as exc:
            self._log(service, operation, "", 0.0, UnknownOperationError.__name__)
            raise UnknownOperationError(f"The Yuki {service.value} service does not declare {operation}; "
                                        "nothing was sent.", operation=operation) from exc

    def _log(self, service: Service, operation: str, administration_id: str, seconds: float, outcome: str):
        # Only these fields are logged: never the access key, password, session ID or document contents.
        logger.log(logging.INFO if outcome == "ok" else logging.WARNING,
                   "yuki %s.%s administration=%s domain=%s duration_ms=%.1f outcome=%s",
                   service.value, operation, administration_id or "-", self.domain_id, seconds * 1000,
                   outcome, extra={"yuki_service": service.value, "yuki_operation": operation,
                                   "yuki_administration": administration_id, "yuki_outcome": outcome,
                                   "yuki_duration_ms": round(seconds * 1000, 1),
                                   "vendor_call": ("yuki", f"{service.value}.{operation}", seconds, outcome)})

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


@contextmanager
def _before_sending(operation: str):
    """A phase that runs before the request leaves us (the session from the store, counting the call):
    whatever fails in it, nothing reached Yuki. A failure of the store itself (the portal's database
    restarting, say) becomes NotSentError, so the caller knows it may simply try again."""
    try:
        yield
    except YukiError:
        raise  # already says whether it was sent
    except Exception as exc:  # noqa: BLE001 - the store is the caller's; any failure of it is "not sent"
        raise NotSentError(f"{operation} was not sent: the Yuki client's store failed before the call "
                           f"({type(exc).__name__}: {exc}). Nothing reached Yuki; it can be tried again.",
                           operation=operation, cause=exc) from exc


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
