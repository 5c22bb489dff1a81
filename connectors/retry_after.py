"""The HTTP Retry-After header as seconds, for every connector that honours a vendor's 429 or 503."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number or an HTTP date (RFC 9110 section 10.2.3); None when unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
