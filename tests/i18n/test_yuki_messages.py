"""Yuki's errors reach the bookkeeper in their language: our explanation, and Yuki's own (English) words
only quoted and labelled as Yuki's, never a line that turns English halfway without saying why."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from sandbox.yuki import fault_texts as sandbox_texts
from tests.i18n.language_check import foreign_words
from yuki_client import (
    AmbiguousWriteError,
    CallBudgetExhausted,
    Journal,
    JournalError,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
    YukiTimeout,
)
from yuki_client import fault_messages as messages
from yuki_client.soap import SoapTransportError, fault_error

WRAP = "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> "
# Yuki's texts we know (the sandbox answers with them), each with a word of the explanation it must get.
KNOWN_FAULTS = [
    (sandbox_texts.INVALID_ACCESS_KEY, {"nl": "toegangssleutel", "en": "access key"}),
    (sandbox_texts.INVALID_LOGIN, {"nl": "toegangssleutel", "en": "access key"}),
    (sandbox_texts.SESSION_EXPIRED, {"nl": "sessie", "en": "session"}),
    (sandbox_texts.DAILY_LIMIT.format(limit=1000), {"nl": "daglimiet", "en": "daily limit"}),
    (sandbox_texts.UNKNOWN_ADMINISTRATION.format(id="7de909e1"), {"nl": "administratie", "en": "administration"}),
    (sandbox_texts.UNKNOWN_ADMINISTRATION_NAME.format(name="Bakkerij"), {"nl": "administratie", "en": "administration"}),
    (sandbox_texts.UNKNOWN_DOMAIN.format(id="7de909e1"), {"nl": "domein", "en": "domain"}),
    ("The journal is not balanced: the entries sum to 1.00.", {"nl": "nul", "en": "zero"}),
    ("The journal is not balanced on 2026-11-30: the entries of that date sum to 0.01.", {"nl": "nul", "en": "zero"}),
    ("GLAccount 4000 does not exist", {"nl": "grootboekrekening", "en": "general ledger account"}),
    ("The element 'Journal' has invalid child element 'Foo'.", {"nl": "formaat", "en": "format"}),
    ("JournalEntry 2: EntryDate '20261130' is not yyyy-mm-dd.", {"nl": "formaat", "en": "format"}),
    ("Folder 6 does not exist.", {"nl": "archiefmap", "en": "archive folder"}),
]
LABEL = {"nl": 'Yuki meldt: "', "en": 'Yuki says: "'}


def without_yukis_words(text: str, language: str) -> str:
    """The text with Yuki's quoted words taken out; there must be a label saying whose they are."""
    quoted = re.findall(rf"\({re.escape(LABEL[language])}.*?\"\)", text)
    for quote in quoted:
        text = text.replace(quote, " ")
    assert '"' not in text, f"a quote without the label: {text}"
    return text


def assert_speaks(text: str, language: str):
    assert text.strip()
    plain = without_yukis_words(text, language)
    assert not foreign_words(plain, language), (foreign_words(plain, language), text)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("fault", "meaning"), KNOWN_FAULTS)
def test_a_known_fault_is_explained_and_yukis_words_are_quoted(fault, meaning, language):
    error = fault_error("ProcessJournal", WRAP + fault)
    with translation.override(language):
        text = messages.reason(error)
        unknown = translation.gettext(messages.UNKNOWN_FAULT)
    assert_speaks(text, language)
    assert meaning[language] in text.lower(), text
    assert unknown not in text, "a fault we know is explained, not 'a reason the portal does not know'"
    assert f"{LABEL[language]}{fault}\"" in text, "Yuki's own words, without the ASMX wrapper"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_unknown_fault_says_so_and_quotes_yuki(language):
    with translation.override(language):
        text = messages.reason(fault_error("UploadDocument", WRAP + "Object reference not set to an instance."))
        assert text.startswith(translation.gettext(messages.UNKNOWN_FAULT))
    assert_speaks(text, language)
    assert text.endswith(f'{LABEL[language]}Object reference not set to an instance.")')


def _journal_error(**line) -> JournalError:
    values = {"entry_date": date(2026, 11, 30), "gl_account": "4000", "amount": Decimal("10.00"),
              "description": "Loon"} | line
    with pytest.raises(JournalError) as raised:  # a line as a source might hand it over, checked by the client
        Journal("Loonjournaal november 2026", [SimpleNamespace(**values)])
    return raised.value


@pytest.mark.parametrize("language", ["nl", "en"])
def test_our_own_errors_are_explained_without_english_detail(language):
    errors = [YukiTimeout("Yuki did not answer ProcessJournal within 30 seconds.", operation="ProcessJournal"),
              SoapTransportError("Could not connect to Yuki: [Errno 111] Connection refused.", request_sent=False),
              SoapTransportError("The connection to Yuki was lost during ProcessJournal."),
              AmbiguousWriteError("The connection broke off after sending ProcessJournal."),
              CallBudgetExhausted("Our budget of 800 calls is used up.", used=800, budget=800),
              YukiDailyLimitReached("Yuki's daily limit is reached (remembered)."),
              UnknownOperationError("The Accounting service does not declare ProcesJournal."),
              YukiConfigurationError("The Yuki domain ID is required: API calls are counted per domain."),
              _journal_error(),  # one line of 10.00: unbalanced
              _journal_error(gl_account=""),
              _journal_error(amount=Decimal("1.001"))]
    with translation.override(language):
        texts = [messages.reason(error) for error in errors]
    for error, text in zip(errors, texts, strict=True):
        assert_speaks(text, language)
        assert error.message not in text and '"' not in text, "our English detail is for the logs"
    assert len(set(texts)) == len(texts), f"each kind its own explanation: {texts}"
    with translation.override(language):
        assert "[Errno" not in messages.reason(errors[1])


def test_every_explanation_has_dutch():
    texts = [meaning for _pattern, meaning in messages.REFUSALS]
    texts += [meaning for _kind, meaning in messages._BY_KIND if isinstance(meaning, str)]
    texts += [messages.UNKNOWN_FAULT, messages.UNBALANCED, messages.NO_GL_ACCOUNT, 'Yuki says: "%(text)s"']
    with translation.override("nl"):
        untranslated = [text for text in texts if translation.gettext(text) == text]
    assert untranslated == []
