"""Every Loket path the connector calls, and the choice of endpoint per document kind.

Paths are relative to the API base (which ends in /v2), written as in Loket's spec
(docs/vendors/loket.md, "The API"). Change an endpoint choice here and nowhere else.
"""

from __future__ import annotations

from urllib.parse import quote

# Accept header: mandatory, carries the resource version (docs/vendors/loket.md). Most resources are 2018-01-01.
DEFAULT_VERSION = "2018-01-01"

# Lookups
ADMINISTRATIONS = "/providers/employers/administrations"
PAYROLL_PERIODS = "/providers/employers/payrolladministrations/{administration_id}/payrollperiods"
EMPLOYMENTS = "/providers/employers/{employer_id}/employees/employments"

# Payslips. Loket has three PDF routes; the per-run ones (…/payslips/{payrollrunId} per employment and
# …/payrollruns/{payrollrunId}/payslips) are marked "for the Loket.nl application only" in one spec copy
# (NOTES-fields-and-flows.md), so we list an employment's payslips and download the cumulative payslip
# of the period, which carries no such restriction. One PDF per employee per period.
PAYSLIP_LIST = "/providers/employers/employees/employments/{employment_id}/payslips"
PAYSLIP_PDF = "/providers/employers/employees/employments/{employment_id}/payslips/summary/{payroll_period_id}"

# Journal runs: the consolidated results per ledger account/cost centre are the journal lines.
JOURNAL_RUNS = "/providers/employers/payrolladministrations/{administration_id}/journalruns"
JOURNAL_RUN_RESULTS = "/providers/employers/payrolladministrations/journalruns/{journal_run_id}/results"
JOURNAL_RESULTS_CONSOLIDATION = "BasedOnLedgerAccountConfiguration"
# The spec: results exist only when journalRunStatus.key is not 0, 1, 2 or 3 (still being processed).
JOURNAL_RUN_STATUSES_WITHOUT_RESULTS = frozenset({0, 1, 2, 3})

# Wage tax returns (loonaangiften)
TAX_RETURNS = "/providers/employers/payrolladministrations/{administration_id}/payrolltaxreturns"
TAX_RETURN = "/providers/employers/payrolladministrations/payrolltaxreturns/{tax_return_id}"
TAX_RETURN_MESSAGE = TAX_RETURN + "/message"
# /overview is deprecated "as of 2025-08-01" in favour of /report; an account still on the old API
# may only know /overview, so the fetcher tries these in order and moves on after a 404.
TAX_RETURN_REPORTS = (TAX_RETURN + "/report", TAX_RETURN + "/overview")

MEDIA_JSON = "application/json"
MEDIA_PDF = "application/pdf"
MEDIA_XML = "application/xml"


def path(template: str, **ids) -> str:
    """Fill a path template, quoting each id (they are GUIDs or numbers, but never trust input)."""
    return template.format(**{name: quote(str(value), safe="") for name, value in ids.items()})


def accept_header(media: str = MEDIA_JSON, version: str = DEFAULT_VERSION) -> str:
    """The Accept header for a call.

    JSON calls send `application/json;version=<date>` as Loket requires. File downloads ask for the
    file type first and still name the JSON version, so Loket's error answers (JSON `messages`)
    stay versioned too. Whether Loket wants the file type in Accept is not confirmed: change it here.
    """
    json_accept = f"{MEDIA_JSON};version={version}"
    return json_accept if media == MEDIA_JSON else f"{media}, {json_accept}"
