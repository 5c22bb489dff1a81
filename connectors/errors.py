"""One error base for every payroll source (as healthchecks' TransportError).

Each vendor keeps its own subclasses and its own table from status codes or fault codes to them
(connectors/<source>/errors.py); the import engine only needs what is here:
`message` (English, detailed: logs), `user_message` (what the portal shows a bookkeeper: what
happened and what to do, an English msgid translated through connectors/texts.py) and whether trying
again later can help.
"""

from __future__ import annotations


class SourceError(Exception):
    """A payroll source failed. `transient`: trying again later may help (network, rate limits, outages);
    otherwise it is permanent: stop and tell the user."""

    transient = False
    user_message = ""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def permanent(self) -> bool:
        return not self.transient

    def __str__(self) -> str:
        return self.message
