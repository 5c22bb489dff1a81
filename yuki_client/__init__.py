"""Yuki (Nmbrs Accounting) SOAP client: sessions, journals, archive uploads, petty cash, a shared
daily call budget and typed errors. A plain library: no Django.

    from yuki_client import YukiClient, MemoryStore, Journal, EntryLine, ArchiveFolder
    client = YukiClient("NL", access_key, domain_id=domain_id, store=MemoryStore())
    guid = client.process_journal(administration_id, Journal("Loonjournaal 2026-11", lines))
"""

from yuki_client.account_transactions import Transaction
from yuki_client.archive import ALL_FOLDERS, ALL_TABS, ALL_YEARS, ArchiveFolder
from yuki_client.budget import DEFAULT_DAILY_BUDGET, YUKI_DAILY_LIMIT, amsterdam_day, calls_today
from yuki_client.chart import GLAccount
from yuki_client.client import YukiClient
from yuki_client.endpoints import REGIONS, WRITE_OPERATIONS, Service
from yuki_client.errors import (
    AmbiguousWriteError,
    CallBudgetExhausted,
    DailyLimitError,
    InvalidAccessKeyError,
    JournalError,
    NotSentError,
    SessionExpiredError,
    StatementError,
    UnbalancedJournalError,
    UnknownOperationError,
    UnreadableAnswerError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiError,
    YukiFault,
    YukiTimeout,
    YukiTransportError,
)
from yuki_client.journal import EntryLine, Journal, JournalType
from yuki_client.pettycash import PettyCashStatement, SingleStatementLine, StatementLine
from yuki_client.results import Administration, ArchiveDocument, DocumentFolder, Domain, ImportResult
from yuki_client.soap import clear_client_cache, wsdl_parse_count
from yuki_client.store import MemoryStore, YukiStore
from yuki_client.transactions import GLAccountTransaction

__all__ = [
    "ALL_FOLDERS", "ALL_TABS", "ALL_YEARS",
    "Administration", "AmbiguousWriteError", "ArchiveDocument", "ArchiveFolder", "CallBudgetExhausted", "DEFAULT_DAILY_BUDGET",
    "DailyLimitError", "DocumentFolder", "Domain", "EntryLine", "ImportResult", "InvalidAccessKeyError",
    "Journal", "JournalError", "JournalType", "MemoryStore", "PettyCashStatement", "REGIONS",
    "Service", "SessionExpiredError", "SingleStatementLine", "StatementError", "StatementLine",
    "UnbalancedJournalError", "UnknownOperationError", "WRITE_OPERATIONS", "YUKI_DAILY_LIMIT", "YukiClient", "YukiConfigurationError",
    "YukiDailyLimitReached", "YukiError", "YukiFault", "YukiStore", "YukiTimeout", "YukiTransportError",
    "GLAccount", "GLAccountTransaction", "NotSentError", "Transaction", "UnreadableAnswerError",
    "amsterdam_day", "calls_today", "clear_client_cache", "wsdl_parse_count",
]
