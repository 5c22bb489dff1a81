"""What a Yuki error means for the bookkeeper, in the reader's language: the one place that turns the
client's errors, and the Yuki faults we know, into words for people.

Yuki answers in English, and its fault texts are not documented beyond "Invalid access key"
(docs/vendors/yuki.md, "Faults"). So a person reads our explanation in their language, and Yuki's own
words only as a quoted detail that says whose words they are (Dutch: `Yuki meldt: "..."`), never a
line that turns English halfway without saying why. The errors' `message` stays English and detailed,
for the logs.

yuki_client is a plain library: its texts go through `connectors.texts` (English msgids; the portal
installs its gettext at start-up, so they come out in the active language; on its own the client
speaks English). The table's texts are marked with gettext_noop so makemessages keeps them.

`fault_texts` recognises the faults that change what the client does (access key, session, daily
limit); the table below recognises the refusals a person has to act on. The patterns follow the texts
the sandbox answers with (sandbox/yuki), themselves modelled on .NET's schema messages and Yuki's
documented rules (docs/vendors/yuki.md, "Journals" and "Contract evidence").
"""

from __future__ import annotations

import re

from connectors.texts import gettext, gettext_noop
from yuki_client.errors import (
    AmbiguousWriteError,
    CallBudgetExhausted,
    InvalidAccessKeyError,
    JournalError,
    SessionExpiredError,
    StatementError,
    UnbalancedJournalError,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiError,
    YukiFault,
    YukiTimeout,
    YukiTransportError,
)

UNBALANCED = gettext_noop("the lines of the journal entry do not add up to zero (in total and per date they must)")
NO_GL_ACCOUNT = gettext_noop("a line of the journal entry has no general ledger account; map it in the GL account "
                             "settings")
FORMAT = gettext_noop("Yuki could not read what the portal sent (it does not fit Yuki's format): an error in the "
                      "portal, tell the administrator")

UNKNOWN_ACCOUNT = re.compile(r"(gl ?account|general ledger|grootboek)\S*\b.*\b(not found|unknown|does not exist"
                             r"|invalid)|(unknown|invalid) (gl ?account|general ledger)", re.I)
MISSING_ACCOUNT = gettext_noop("Yuki does not have a general ledger account the journal entry uses")

# Refusals we know, by Yuki's text (case-insensitive, anywhere in it); the first match wins.
REFUSALS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"not balanced|unbalanced|does not balance", re.I), UNBALANCED),
    (re.compile(r"administration\b.*\b(not found|not accessible)|no administration named", re.I),
     gettext_noop("Yuki does not know the administration, or its access key gives no access to it; check the "
                  "Yuki administration ID on the administration page")),
    (re.compile(r"domain\b.*\b(not found|not accessible)", re.I),
     gettext_noop("Yuki does not know the domain, or the access key gives no access to it; check the Yuki "
                  "domain ID on the domain page")),
    # A guess (Yuki's text is not public): an account the journal names that Yuki does not have.
    (UNKNOWN_ACCOUNT, MISSING_ACCOUNT),
    (re.compile(r"folder \S+ does not exist", re.I),
     gettext_noop("Yuki has no archive folder with that number")),
    (re.compile(r"invalid child element|has invalid content|is invalid for|is not yyyy-mm-dd|is not a number"
                r"|more than 2 decimals|missing \w+|root element|multiple root elements|error in XML document"
                r"|Data at the root level|file name is required|document is empty", re.I), FORMAT),
)

UNKNOWN_FAULT = gettext_noop("a reason the portal does not know")


def refuses_account(exc: Exception) -> bool:
    """Whether Yuki's refusal is about a general ledger account it does not have (and nothing earlier in
    REFUSALS explains it): only then does a message point at accounts."""
    return isinstance(exc, YukiFault) and _explanation(exc) == MISSING_ACCOUNT


def reason(exc: Exception) -> str:
    """Why a Yuki call failed (or was not sent), as a clause in the reader's language for a message
    such as "Yuki refused %(title)s: %(error)s."; Yuki's own words follow, quoted and labelled."""
    return " ".join(filter(None, [gettext(_explanation(exc)), yuki_said(exc)]))


def yuki_said(exc: Exception) -> str:
    """Yuki's own words for the error, quoted and labelled as Yuki's (empty when Yuki said nothing)."""
    text = (getattr(exc, "fault_message", "") or "").strip()
    if not text:
        return ""
    return "(" + gettext('Yuki says: "%(text)s"') % {"text": text} + ")"


def _explanation(exc: Exception) -> str:
    if isinstance(exc, YukiFault):
        text = exc.fault_message or exc.message
        return next((meaning for pattern, meaning in REFUSALS if pattern.search(text)), UNKNOWN_FAULT)
    for kind, meaning in _BY_KIND:
        if isinstance(exc, kind):
            return meaning(exc) if callable(meaning) else meaning
    return gettext_noop("an error in the connection with Yuki")


def _journal(exc: JournalError) -> str:
    if isinstance(exc, UnbalancedJournalError):
        return UNBALANCED
    if "GL account" in exc.message:  # journal.py's check of a line without an account
        return NO_GL_ACCOUNT
    return gettext_noop("the journal entry is incomplete (a subject, a date or an amount in cents is missing)")


def _transport(exc: YukiTransportError) -> str:
    if not getattr(exc, "request_sent", True):
        return gettext_noop("no connection could be made")
    return gettext_noop("the connection broke off")


# By the client's own kinds (errors.py); subclasses before their base class.
_BY_KIND: tuple[tuple[type[YukiError], object], ...] = (
    (InvalidAccessKeyError, gettext_noop("Yuki does not accept the access key; enter the right API key on the "
                                         "administration page")),
    (SessionExpiredError, gettext_noop("Yuki ended the session and signing in again did not help; try again later, "
                                       "and if it keeps happening create a new access key in Yuki")),
    (YukiDailyLimitReached, gettext_noop("Yuki's daily limit of API calls for this domain is reached (shared by "
                                         "every application linked to it); calls work again tomorrow")),
    (CallBudgetExhausted, gettext_noop("the portal's daily budget of Yuki calls for this domain is used up; calls "
                                       "work again tomorrow")),
    (AmbiguousWriteError, gettext_noop("the connection broke off after sending; Yuki may have processed it")),
    (YukiTimeout, gettext_noop("Yuki did not answer in time")),
    (YukiTransportError, _transport),
    (UnknownOperationError, gettext_noop("the portal asked Yuki for something Yuki does not offer: an error in the "
                                         "portal, tell the administrator")),
    (YukiConfigurationError, gettext_noop("the Yuki settings are incomplete (access key, domain ID or region); "
                                          "check the domain and administration pages")),
    (JournalError, _journal),
    (StatementError, gettext_noop("a petty cash statement line does not fit Yuki's format")),
)
