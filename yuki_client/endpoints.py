"""Where Yuki lives and which operations are writes. One place for host, service and casing rules."""

from __future__ import annotations

from enum import StrEnum

from yuki_client.errors import YukiConfigurationError

# docs/vendors/yuki.md: NL and BE hosts; the services keep these hosts under the Nmbrs Accounting name.
REGIONS = {
    "NL": "https://api.yukiworks.nl/ws/",
    "BE": "https://api.yukiworks.be/ws/",
}


class Service(StrEnum):
    ACCOUNTING = "Accounting"
    ACCOUNTING_INFO = "AccountingInfo"
    ARCHIVE = "Archive"
    PETTYCASH = "PettyCash"

    @property
    def file_name(self) -> str:
        # The real file name is Pettycash.asmx, lower-case c (docs/vendors/yuki.md).
        return {"Accounting": "Accounting.asmx", "AccountingInfo": "AccountingInfo.asmx", "Archive": "Archive.asmx",
                "PettyCash": "Pettycash.asmx"}[self.value]


# Writes are never retried blindly after an ambiguous failure (the import ledger decides: README, "How the
# portal keeps 'nothing lost, nothing twice'").
WRITE_OPERATIONS = frozenset({
    "ProcessJournal", "UploadDocument", "UploadDocumentWithData", "ImportStatement",
    "ImportSingleStatementLine", "ImportSingleStatementProjectLine",
})

# docs/vendors/yuki.md: `sessionID` almost everywhere, `sessionId` on the PettyCash single-line imports.
_SESSION_PARAMETER = {"ImportSingleStatementLine": "sessionId", "ImportSingleStatementProjectLine": "sessionId"}


def session_parameter(operation: str) -> str:
    return _SESSION_PARAMETER.get(operation, "sessionID")


def base_url(region_or_url: str) -> str:
    """'NL', 'BE' or a base URL such as the sandbox's 'http://127.0.0.1:8123/ws/' -> base URL with '/'."""
    value = (region_or_url or "").strip()
    if value.upper() in REGIONS:
        return REGIONS[value.upper()]
    if value.startswith(("https://", "http://")):
        return value if value.endswith("/") else value + "/"
    raise YukiConfigurationError(
        f"Unknown Yuki region or URL {value!r}: use 'NL', 'BE' or a base URL ending in /ws/.")


def service_url(base: str, service: Service) -> str:
    return base + service.file_name


def wsdl_url(base: str, service: Service) -> str:
    return service_url(base, service) + "?WSDL"
