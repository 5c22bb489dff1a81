"""The OAuth scopes the portal asks Nmbrs for, and which scope each call needs.

Names and what they grant come from the `Bearer` security scheme of Nmbrs' OpenAPI description; which
operation asks for which scope from each operation's `security` list (docs/vendors/nmbrs-rest.md,
"Authorisation"). Only what the import reads, plus `offline_access` (without it no refresh token is issued).
"""

from __future__ import annotations

import re

COMPANY_INFO = "company.info.read"  # debtors, companies of a debtor
PAYROLL_SETTINGS = "company.payrollsettings.read"  # runs, wage tax returns, employees of a run
COMPANY_DOCUMENTS = "company.document.read"  # journals, SEPA, wage tax XML (task ids)
EMPLOYEE_DOCUMENTS = "employee.document.read"  # payslips, annual statements (task ids)
DOCUMENT_CONTENT = "document.read"  # /api/documents/{taskId}
USER_INFO = "user.info.read"  # /api/user/info (the user's own debtor)
OFFLINE_ACCESS = "offline_access"

REQUESTED = (COMPANY_INFO, PAYROLL_SETTINGS, COMPANY_DOCUMENTS, EMPLOYEE_DOCUMENTS, DOCUMENT_CONTENT, USER_INFO,
             OFFLINE_ACCESS)

_ID = r"[^/]+"
# (path pattern, scope) in the order they are tried; the spec lists alternatives (e.g. employee.document),
# the one here is the read-only scope the portal asks for.
_NEEDED = tuple((re.compile(pattern), scope) for pattern, scope in (
    (r"/api/debtors", COMPANY_INFO),
    (rf"/api/debtors/{_ID}/companies", COMPANY_INFO),
    (r"/api/user/info", USER_INFO),
    (rf"/api/companies/{_ID}/runs", PAYROLL_SETTINGS),
    (rf"/api/companies/{_ID}/runs/{_ID}/employees", PAYROLL_SETTINGS),
    (rf"/api/companies/{_ID}/wagetaxes", PAYROLL_SETTINGS),
    (rf"/api/companies/{_ID}/runs/{_ID}/(journals|sepa)", COMPANY_DOCUMENTS),
    (rf"/api/companies/{_ID}/wagetaxes/{_ID}/xml", COMPANY_DOCUMENTS),
    (rf"/api/employees/{_ID}/(payslipperperiod|annualstatement)", EMPLOYEE_DOCUMENTS),
    (rf"/api/documents/{_ID}", DOCUMENT_CONTENT),
))


def needed_for(path: str) -> str:
    """The scope a call to `path` needs ('' when the portal does not call it)."""
    path = path.rstrip("/")
    return next((scope for pattern, scope in _NEEDED if pattern.fullmatch(path)), "")


def missing(granted: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """The requested scopes a token answer's `scope` does not grant ([] when it says none: then trust it)."""
    if not granted:
        return []
    have = set(granted.split() if isinstance(granted, str) else granted)
    return [scope for scope in REQUESTED if scope not in have]
