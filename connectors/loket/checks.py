""""Test connection": try every call the imports need and say which work and which right is missing.

Every result carries an English `message` (logs, the English UI) and a Dutch `message_nl` (the Dutch
UI), like the errors' `message` and `user_message_nl`; a failed check uses the error's own pair.
"""

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
    message_nl: str
    missing_right: str | None = None

    def message_in(self, language: str | None) -> str:
        """The message for a UI `language` code: Dutch for "nl", "nl-be", ...; English otherwise."""
        return self.message_nl if (language or "").lower().startswith("nl") else self.message


class CheckNotPossible(LoketError):
    """A check that could not be tried, or found nothing to work with, in both languages."""

    def __init__(self, message: str, message_nl: str):
        super().__init__(message)
        self.user_message_nl = message_nl


def _run(name: str, call: Callable[[], tuple[str, str]]) -> ConnectionCheck:
    """`call()` returns (English, Dutch) on success; a LoketError is the failure, in its own words."""
    try:
        message, message_nl = call()
        return ConnectionCheck(name, True, message, message_nl)
    except LoketForbidden as exc:
        return ConnectionCheck(name, False, exc.message, exc.user_message_nl, exc.missing_right)
    except LoketError as exc:
        return ConnectionCheck(name, False, exc.message, exc.user_message_nl)


def check_connection(client: LoketClient, client_number: str | None = None,
                     wage_tax_number: str | None = None) -> list[ConnectionCheck]:
    """Checks, in order: authorisation, the payroll administration, then each call of the imports.

    Without client number and wage tax number (the portal settings page), the calls are tried on the
    first payroll administration the Loket user sees. A failed authorisation or administration
    lookup ends the list: nothing after it can work.
    """
    checks: list[ConnectionCheck] = []
    visible: list[dict] = []

    def authorised() -> tuple[str, str]:
        page = client.get_page(endpoints.ADMINISTRATIONS)
        visible.extend(page.items)
        return (f"Loket accepts the authorisation; the Loket user sees {page.total_size} administration(s).",
                f"Loket accepteert de autorisatie; de Loket-gebruiker ziet {page.total_size} administratie(s).")

    checks.append(_run("Loket authorisation", authorised))
    if not checks[-1].ok:
        return checks

    found: list[LoketAdministration] = []

    def administration() -> tuple[str, str]:
        if client_number or wage_tax_number:
            admin = find_administration(client, client_number or "", wage_tax_number or "")
        else:
            first = next((item for item in visible if item.get("isPayrollAdministration", True)), None)
            if first is None:
                raise CheckNotPossible(
                    "The Loket user sees no payroll administration. Give the user access to the employer in "
                    "Loket (directly or through a team).",
                    "De Loket-gebruiker ziet geen salarisadministratie. Geef de gebruiker in Loket toegang tot de "
                    "werkgever (direct of via een team).")
            admin = LoketAdministration(str(first["id"]), str(first.get("employerId") or ""),
                                        str(first.get("clientNumber") or ""), str(first.get("wageTaxNumber") or ""),
                                        str(first.get("description") or ""))
        found.append(admin)
        name = admin.description or admin.id
        return (f"Found '{name}' (client number {admin.client_number}, wage tax number {admin.wage_tax_number}).",
                f"'{name}' gevonden (clientnummer {admin.client_number}, loonheffingennummer "
                f"{admin.wage_tax_number}).")

    checks.append(_run("Payroll administration", administration))
    if not checks[-1].ok:
        return checks
    admin = found[0]
    employments: list[dict] | None = None  # None: could not be read, so payslips cannot be tried
    finished_runs: list[dict] | None = None

    def periods() -> tuple[str, str]:
        page = client.get_page(endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=admin.id))
        return (f"{page.total_size} payroll period(s) readable.",
                f"{page.total_size} verloningsperiode(n) leesbaar.")

    def employment_list() -> tuple[str, str]:
        nonlocal employments
        page = client.get_page(endpoints.path(endpoints.EMPLOYMENTS, employer_id=admin.employer_id))
        employments = page.items
        return f"{page.total_size} employment(s) readable.", f"{page.total_size} dienstverband(en) leesbaar."

    def payslips() -> tuple[str, str]:
        if employments is None:
            raise CheckNotPossible("Not tried: the employments could not be read (see above).",
                                   "Niet geprobeerd: de dienstverbanden konden niet worden gelezen (zie hierboven).")
        if not employments:
            return ("No employments to read payslips of yet.",
                    "Nog geen dienstverbanden om loonstroken van te lezen.")
        page = client.get_page(endpoints.path(endpoints.PAYSLIP_LIST, employment_id=employments[0]["id"]))
        return (f"Payslips readable ({page.total_size} for the first employment).",
                f"Loonstroken leesbaar ({page.total_size} bij het eerste dienstverband).")

    def journal_runs() -> tuple[str, str]:
        nonlocal finished_runs
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUNS, administration_id=admin.id))
        finished_runs = [run for run in page.items
                         if (run.get("journalRunStatus") or {}).get("key")
                         not in endpoints.JOURNAL_RUN_STATUSES_WITHOUT_RESULTS and not run.get("removeTime")]
        return f"{page.total_size} journal run(s) readable.", f"{page.total_size} journaalrun(s) leesbaar."

    def journal_results() -> tuple[str, str]:
        if finished_runs is None:
            raise CheckNotPossible("Not tried: the journal runs could not be read (see above).",
                                   "Niet geprobeerd: de journaalruns konden niet worden gelezen (zie hierboven).")
        if not finished_runs:
            return ("No finished journal run to read results of yet.",
                    "Nog geen afgeronde journaalrun om de resultaten van te lezen.")
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=finished_runs[-1]["id"]),
                               params={"consolidate": endpoints.JOURNAL_RESULTS_CONSOLIDATION})
        return (f"Journal run results readable ({page.total_size} line(s) in a recent run).",
                f"Resultaten van journaalruns leesbaar ({page.total_size} regel(s) in een recente run).")

    def tax_returns() -> tuple[str, str]:
        page = client.get_page(endpoints.path(endpoints.TAX_RETURNS, administration_id=admin.id))
        return f"{page.total_size} wage tax return(s) readable.", f"{page.total_size} loonaangifte(n) leesbaar."

    for name, call in (("Payroll periods", periods), ("Employments", employment_list), ("Payslips", payslips),
                       ("Journal runs", journal_runs), ("Journal run results", journal_results),
                       ("Wage tax returns", tax_returns)):
        checks.append(_run(name, call))
    return checks
