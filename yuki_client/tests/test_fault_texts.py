"""One place recognises Yuki's fault texts, with or without the ASMX wrapper."""

import pytest

from sandbox.yuki import fault_texts as sandbox_texts
from yuki_client import InvalidAccessKeyError, SessionExpiredError, YukiDailyLimitReached
from yuki_client.fault_texts import fault_kind, yuki_message


@pytest.mark.parametrize(("text", "kind"), [
    ("Invalid access key", InvalidAccessKeyError),
    ("Server was unable to process request. ---> Invalid access key", InvalidAccessKeyError),
    ("System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> "
     "System.Exception: Invalid Access Key", InvalidAccessKeyError),
    (sandbox_texts.INVALID_LOGIN, InvalidAccessKeyError),
    (sandbox_texts.SESSION_EXPIRED, SessionExpiredError),
    ("Invalid SessionID", SessionExpiredError),
    ("Session has expired", SessionExpiredError),
    (sandbox_texts.DAILY_LIMIT.format(limit=1000), YukiDailyLimitReached),
    ("Daily limit of API calls reached", YukiDailyLimitReached),
])
def test_known_fault_texts_map_to_their_error(text, kind):
    assert fault_kind(text) is kind


@pytest.mark.parametrize("text", [
    "The journal is not balanced: the entries sum to 1.00.",
    "Administration 'x' not found or not accessible with this session.",
    "",
])
def test_other_faults_are_plain_faults(text):
    assert fault_kind(text) is None


def test_yukis_message_is_shown_without_the_asmx_wrapper():
    wrapped = "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> " \
              "System.Exception: The journal is not balanced."
    assert yuki_message(wrapped) == "The journal is not balanced."
    assert yuki_message("Plain message") == "Plain message"
