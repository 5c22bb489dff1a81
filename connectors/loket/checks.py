""""Test connection": try every call the imports need and say which work and which right is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from connectors.loket import endpoints
from connectors.loket.administrations import LoketAdministration, find_administration
from connectors.loket.client import LoketClient
from connectors.loket.errors import LoketError, LoketForbidden


class ConnectionCheck(NamedTuple):
    name: str
    ok: bool
    message: str
    missing_right: str | None = None


def _run(name: str, call: Callable[[], str]) -> ConnectionCheck:
    try:
        return ConnectionCheck(name, True, call())
    except LoketForbidden as exc:
        return ConnectionCheck(name, False, exc.message, exc.missing_right)
    except LoketError as exc:
        return ConnectionCheck(name, False, exc.message)


def check_connection(client: LoketClient, client_number: str | None = None,
                     wage_tax_number: str | None = None) -> list[ConnectionCheck]:
    """Checks, in order: authorisation, the payroll administration, then each call of the imports.

    Without client number and wage tax number (the portal settings page), the calls are tried on the
    first payroll administration the Loket user sees. A failed authorisation or administration
    lookup ends the list: nothing after it can work.
    """
    checks: list[ConnectionCheck] = []
    visible: list[dict] = []

    def authorised() -> str:
        page = client.get_page(endpoints.ADMINISTRATIONS)
        visible.extend(page.items)
        return f"Loket accepts the authorisation; the Loket user sees {page.total_size} administration(s)."

    checks.append(_run("Loket authorisation", authorised))
    if not checks[-1].ok:
        return checks

    found: list[LoketAdministration] = []

    def administration() -> str:
        if client_number or wage_tax_number:
            admin = find_administration(client, client_number or "", wage_tax_number or "")
        else:
            first = next((item for item in visible if item.get("isPayrollAdministration", True)), None)
            if first is None:
                raise LoketError("The Loket user sees no payroll administration. Give the user access to the "
                                 "employer in Loket (directly or through a team).")
            admin = LoketAdministration(str(first["id"]), str(first.get("employerId") or ""),
                                        str(first.get("clientNumber") or ""), str(first.get("wageTaxNumber") or ""),
                                        str(first.get("description") or ""))
        found.append(admin)
        return (f"Found '{admin.description or admin.id}' (client number {admin.client_number}, "
                f"wage tax number {admin.wage_tax_number}).")

    checks.append(_run("Payroll administration", administration))
    if not checks[-1].ok:
        return checks
    admin = found[0]
    employments: list[dict] | None = None  # None: could not be read, so payslips cannot be tried
    finished_runs: list[dict] | None = None

    def periods() -> str:
        page = client.get_page(endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=admin.id))
        return f"{page.total_size} payroll period(s) readable."

    def employment_list() -> str:
        nonlocal employments
        page = client.get_page(endpoints.path(endpoints.EMPLOYMENTS, employer_id=admin.employer_id))
        employments = page.items
        return f"{page.total_size} employment(s) readable."

    def payslips() -> str:
        if employments is None:
            raise LoketError("Not tried: the employments could not be read (see above).")
        if not employments:
            return "No employments to read payslips of yet."
        page = client.get_page(endpoints.path(endpoints.PAYSLIP_LIST, employment_id=employments[0]["id"]))
        return f"Payslips readable ({page.total_size} for the first employment)."

    def journal_runs() -> str:
        nonlocal finished_runs
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUNS, administration_id=admin.id))
        finished_runs = [run for run in page.items
                         if (run.get("journalRunStatus") or {}).get("key")
                         not in endpoints.JOURNAL_RUN_STATUSES_WITHOUT_RESULTS and not run.get("removeTime")]
        return f"{page.total_size} journal run(s) readable."

    def journal_results() -> str:
        if finished_runs is None:
            raise LoketError("Not tried: the journal runs could not be read (see above).")
        if not finished_runs:
            return "No finished journal run to read results of yet."
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=finished_runs[-1]["id"]),
                               params={"consolidate": endpoints.JOURNAL_RESULTS_CONSOLIDATION})
        return f"Journal run results readable ({page.total_size} line(s) in a recent run)."

    def tax_returns() -> str:
        page = client.get_page(endpoints.path(endpoints.TAX_RETURNS, administration_id=admin.id))
        return f"{page.total_size} wage tax return(s) readable."

    for name, call in (("Payroll periods", periods), ("Employments", employment_list), ("Payslips", payslips),
                       ("Journal runs", journal_runs), ("Journal run results", journal_results),
                       ("Wage tax returns", tax_returns)):
        checks.append(_run(name, call))
    return checks
