"""Typed errors of the Yuki client. Messages are in English and say what failed and what to do; the
portal translates them for the bookkeeper.

YukiError
├── YukiConfigurationError      bad region/URL or arguments (our side, before any call)
│   └── UnknownOperationError   an operation (or parameter) the service does not declare: not sent
├── JournalError                a journal refused before any call (UnbalancedJournalError)
├── StatementError              a petty cash statement refused before any call
├── InvalidAccessKeyError       Yuki does not know the access key (or user name/password)
├── SessionExpiredError         the session expired and re-authenticating did not help
├── DailyLimitError
│   ├── YukiDailyLimitReached   Yuki's own fault: 1000 calls/day/domain used up
│   └── CallBudgetExhausted     our budget (default 800) used up: the call was NOT sent
├── YukiFault                   any other SOAP fault, with Yuki's message
├── YukiTransportError          no usable answer (connection, HTTP error, bad XML)
│   ├── YukiTimeout
│   └── NotSentError            failed on our side before the request left us (e.g. the store's database)
├── UnreadableAnswerError       Yuki answered in a layout we do not know: it cannot tell us what we asked
└── AmbiguousWriteError         a write may or may not have been processed: do not retry blindly

Every error says whether its request may have reached Yuki (`request_sent`): False for everything
refused or failed before sending (configuration, journal and statement checks, our budget, the
store), True once the request may have left us. A fault means Yuki received the request and did not
process it; only AmbiguousWriteError means a write may have been processed.
"""

from __future__ import annotations


class YukiError(Exception):
    """Base class. `operation` is the SOAP operation (if any), `retryable` whether trying again later
    is safe and may help."""

    retryable = False
    request_sent = True  # may the request have reached Yuki? (subclasses and instances say when not)

    def __init__(self, message: str, *, operation: str = ""):
        super().__init__(message)
        self.message = message
        self.operation = operation


class YukiConfigurationError(YukiError):
    request_sent = False


class UnknownOperationError(YukiConfigurationError):
    """The service's WSDL does not declare the operation, or the parameters do not fit it: a bug on
    our side, found before anything is counted or sent."""


class JournalError(YukiError, ValueError):
    request_sent = False


class UnbalancedJournalError(JournalError):
    pass


class StatementError(YukiError, ValueError):
    """A petty cash statement line breaks a rule of the Yuki CSV format (docs/vendors/yuki.md)."""

    request_sent = False

    def __init__(self, message: str, *, line: int | None = None, field: str = ""):
        prefix = f"Statement line {line}: " if line is not None else ""
        super().__init__(prefix + message)
        self.line = line
        self.field = field


class InvalidAccessKeyError(YukiError):
    pass


class SessionExpiredError(YukiError):
    retryable = True


class DailyLimitError(YukiError):
    retryable = True  # tomorrow (Europe/Amsterdam)


class YukiDailyLimitReached(DailyLimitError):
    pass


class CallBudgetExhausted(DailyLimitError):
    request_sent = False  # refused by our own budget before sending

    def __init__(self, message: str, *, operation: str = "", used: int = 0, budget: int = 0):
        super().__init__(message, operation=operation)
        self.used = used
        self.budget = budget


class YukiFault(YukiError):
    """A SOAP fault from Yuki that is not one of the known kinds; `fault_message` is Yuki's text."""

    def __init__(self, message: str, *, operation: str = "", fault_message: str = ""):
        super().__init__(message, operation=operation)
        self.fault_message = fault_message


class YukiTransportError(YukiError):
    retryable = True


class YukiTimeout(YukiTransportError):
    pass


class NotSentError(YukiTransportError):
    """The call failed on our side before its request left us: the shared store (the portal's
    database) could not give the session or count the call, for example during a database restart.
    Nothing reached Yuki, so trying again is safe. `cause` is the store's own exception."""

    request_sent = False

    def __init__(self, message: str, *, operation: str = "", cause: Exception | None = None):
        super().__init__(message, operation=operation)
        self.cause = cause


class UnreadableAnswerError(YukiError):
    """Yuki answered, but not in a layout this client knows how to read, so the answer tells nothing
    (docs/vendors/yuki.md, "Reconciling journals"). Not retryable: the same question gets the same answer."""


class AmbiguousWriteError(YukiError):
    """A write (ProcessJournal, UploadDocument, ImportStatement, ...) failed after the request may
    have reached Yuki. It may have been booked: check in Yuki (or the import ledger) before sending
    it again. Never retried automatically."""

    def __init__(self, message: str, *, operation: str = "", cause: Exception | None = None):
        super().__init__(message, operation=operation)
        self.cause = cause
