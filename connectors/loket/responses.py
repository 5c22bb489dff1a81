"""Reading Loket's HTTP answers: error messages in a body, Retry-After, whether a file is what it says
it is, and its name (connectors.loket.client uses these)."""

from __future__ import annotations

import re

import httpx2

from connectors.loket import endpoints
from connectors.loket.errors import messages_from_body


def messages(response: httpx2.Response):
    try:
        return messages_from_body(response.json())
    except ValueError:
        return ()


def int_or(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default



_SIGNATURES = {endpoints.MEDIA_PDF: (b"%PDF-",), endpoints.MEDIA_XML: (b"<?xml", b"<", b"\xef\xbb\xbf<")}


def looks_like(media: str, content: bytes) -> bool:
    signatures = _SIGNATURES.get(media)
    if signatures is None:
        return bool(content)
    head = content.lstrip()[:16] if media == endpoints.MEDIA_XML else content[:16]
    return any(head.startswith(sig) for sig in signatures)


def file_name(disposition: str) -> str:
    match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition, re.IGNORECASE)
    return match.group(1) if match else ""
