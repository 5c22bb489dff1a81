"""The one place that recognises Yuki's fault texts.

Yuki answers faults as HTTP 500 soap:Fault; ASMX wraps the message ("Server was unable to process
request. ---> <message>"), so we search, case-insensitively, anywhere in the faultstring.
"Invalid access key" is Yuki's known text (docs/vendors/yuki.md). The expired-session and daily-limit texts are
NOT public (docs/vendors/yuki.md): the patterns below are deliberately broad guesses, kept in step with the
sandbox's texts (sandbox/yuki/fault_texts.py). Change them here once a real account shows the truth.
"""

from __future__ import annotations

import re

from yuki_client.errors import InvalidAccessKeyError, SessionExpiredError, YukiDailyLimitReached, YukiError

_PATTERNS: tuple[tuple[re.Pattern, type[YukiError]], ...] = (
    (re.compile(r"invalid access ?key|access ?key (is )?(invalid|not valid|unknown)"
                r"|invalid (user ?name|login)( or password)?", re.I), InvalidAccessKeyError),
    (re.compile(r"session\s*(id\s*)?(has\s+)?(is\s+)?(expired|invalid|not valid|unknown)"
                r"|(invalid|expired|unknown)\s+session", re.I), SessionExpiredError),
    (re.compile(r"(maximum|max\.?) (number of )?(api )?calls|(api )?call limit|daily limit"
                r"|calls? per day|limit of \d+ (api )?calls", re.I), YukiDailyLimitReached),
)

ASMX_WRAPPER = re.compile(r"^.*?-->\s*(?:System\.[\w.]+:\s*)?", re.S)


def fault_kind(fault_message: str) -> type[YukiError] | None:
    """The typed error a fault text stands for, or None for any other fault."""
    for pattern, kind in _PATTERNS:
        if pattern.search(fault_message or ""):
            return kind
    return None


def yuki_message(fault_message: str) -> str:
    """Yuki's own message without the ASMX wrapper, for showing to a person."""
    return ASMX_WRAPPER.sub("", (fault_message or "").strip()).strip() or (fault_message or "").strip()
