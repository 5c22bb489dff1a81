"""Every Loket path the connector calls, and the choice of endpoint per document kind.

Paths are relative to the API base (which ends in /v2), written as in Loket's spec
(docs/vendors/loket.md says where each fact comes from). Change an endpoint choice here and nowhere else.
Query parameters: only those the resource declares (paging on lists, filter/orderBy where the resource
lists them, consolidate on journal run results).
"""

from __future__ import annotations

from urllib.parse import quote

# Accept header: mandatory, carries the resource version. Most resources are 2018-01-01; employments
# are 2019-12-16 in Loket's own Postman collection (docs/vendors/loket.md).
DEFAULT_VERSION = "2018-01-01"
EMPLOYMENTS_VERSION = "2019-12-16"

# Lookups
ADMINISTRATIONS = "/providers/employers/administrations"
PAYROLL_PERIODS = "/providers/employers/payrolladministrations/{administration_id}/payrollperiods"
EMPLOYMENTS = "/providers/employers/{employer_id}/employees/employments"
# .../payrollperiods declares no filter (only paging): the period is picked in code.

# Payslips. Loket has three PDF routes; the per-run ones (…/payslips/{payrollrunId} per employment and
# …/payrollruns/{payrollrunId}/payslips) are marked "for the Loket.nl application only" in one spec copy
# (NOTES-fields-and-flows.md), so we list an employment's payslips and download the cumulative payslip
# of the period, which carries no such restriction. One PDF per employee per period. Its
# {payrollPeriodId} comes from the download's own metadata resource, as the spec says, never from
# .../payrollperiods (a different resource, whose ids need not be the same).
PAYSLIP_LIST = "/providers/employers/employees/employments/{employment_id}/payslips"
PAYSLIP_SUMMARY_METADATA = "/providers/employers/employees/employments/{employment_id}/payslips/summary/metadata"
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

# Paging: the spec documents pageSize's default (250) but says it "may change" and advises against relying
# on it, and documents no maximum; so every list asks for 250 explicitly (docs/vendors/loket.md, "Fewest calls").
LIST_PAGE_SIZE = 250

MEDIA_JSON = "application/json"
MEDIA_PDF = "application/pdf"
MEDIA_XML = "application/xml"


def path(template: str, **ids) -> str:
    """Fill a path template, quoting each id (they are GUIDs or numbers, but never trust input)."""
    return template.format(**{name: quote(str(value), safe="") for name, value in ids.items()})


def accept_header(media: str = MEDIA_JSON, version: str = DEFAULT_VERSION) -> str:
    """The Accept header for a call.

    JSON calls send `application/json;version=<date>` as Loket requires (resource versioning is for
    JSON resources). File downloads send the file's media type alone, as Loket's own request examples
    do (docs/vendors/loket.md).
    """
    return f"{MEDIA_JSON};version={version}" if media == MEDIA_JSON else media
