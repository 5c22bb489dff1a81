"""What a vendor stamps into a file each time it generates one (docs/vendors/generated-files.md): a PDF's
/CreationDate, /ModDate and random /ID, a pain.001's MsgId and CreDtTm, a wage tax message's id and
creation time. Every sandbox file is generated anew on each request, so two fetches of an unchanged
document differ in bytes, as they do at the real vendors; only a correction changes what they say."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def now() -> datetime:
    """The moment of generation (UTC; tests move it with time-machine)."""
    return datetime.now(UTC)


def pdf_info_dates() -> bytes:
    """' /CreationDate (D:20261207204500Z) /ModDate (...)' for a PDF's document information dictionary."""
    stamp = now().strftime("D:%Y%m%d%H%M%SZ").encode()
    return b" /CreationDate (" + stamp + b") /ModDate (" + stamp + b")"


def pdf_trailer_id() -> bytes:
    """' /ID [<...> <...>]' for a PDF's trailer: a new random file identifier on every generation."""
    first, second = secrets.token_hex(16).encode(), secrets.token_hex(16).encode()
    return b" /ID [<" + first + b"> <" + second + b">]"


def message_id(prefix: str, limit: int = 35) -> str:
    """A message id unique per generation (pain.001 MsgId is at most 35 characters)."""
    return f"{prefix}-{secrets.token_hex(8)}"[:limit]
