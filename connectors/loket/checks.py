""""Test connection": try every call the imports need and say which work and which right is missing.

Every result carries a `message` for the person who asked, through gettext (English msgid, Dutch in
locale/nl) in the language active while the checks run; a failed check uses the error's `user_message`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from connectors.loket import endpoints
from connectors.loket.administrations import LoketAdministration, find_administration
from connectors.loket.client import LoketClient
from connectors.loket.errors import LoketError, LoketForbidden
from connectors.texts import gettext, ngettext


class ConnectionCheck(NamedTuple):
    name: str
    ok: bool
    message: str
    missing_right: str | None = None


class CheckNotPossible(LoketError):
    """A check that could not be tried, or found nothing to work with."""

    def __init__(self, message: str):
        super().__init__(message)
        self.user_message = message


def _run(name: str, call: Callable[[], str]) -> ConnectionCheck:
    """`call()` returns what worked; a LoketError is the failure, in its own words."""
    try:
        return ConnectionCheck(name, True, call())
    except LoketForbidden as exc:
        return ConnectionCheck(name, False, str(exc.user_message), exc.missing_right)
    except LoketError as exc:
        return ConnectionCheck(name, False, str(exc.user_message))


def check_authorisation(client: LoketClient, client_number: str | None = None) -> ConnectionCheck:
    """Does Loket accept the stored authorisation? Asked for one employer's administrations when a
    client number is given, and then no number of administrations is told: a domain's user may not
    learn how many employers the firm's Loket user sees. Without one (the portal's connection, for
    the portal's managers), the firm-wide count."""

    def authorised() -> str:
        if client_number:
            client.get_page(endpoints.ADMINISTRATIONS, filter=f"clientNumber eq {client_number}")
            return gettext("Loket accepts the authorisation.")
        page = client.get_page(endpoints.ADMINISTRATIONS)
        return ngettext("Loket accepts the authorisation; the Loket user sees %(count)s administration.",
                        "Loket accepts the authorisation; the Loket user sees %(count)s administrations.",
                        page.total_size) % {"count": page.total_size}

    return _run("Loket authorisation", authorised)


def check_connection(client: LoketClient, client_number: str, wage_tax_number: str) -> list[ConnectionCheck]:
    """Checks, in order: authorisation, the payroll administration, then each call of the imports, all
    for the one employer given. There is no default: a check never picks an employer by itself (the
    first one the Loket user sees could be another domain's). Without both numbers nothing is called.
    A failed authorisation or administration lookup ends the list: nothing after it can work.
    """
    number = str(client_number or "").strip()
    if not number.isdigit() or not str(wage_tax_number or "").strip():
        return [ConnectionCheck("Payroll administration", False, gettext(
            "No employer to test: the client number and the wage tax number are both needed. Nothing was "
            "read at Loket."))]
    checks = [check_authorisation(client, number)]
    if not checks[-1].ok:
        return checks

    found: list[LoketAdministration] = []

    def administration() -> str:
        admin = find_administration(client, number, wage_tax_number)
        found.append(admin)
        name = admin.description or admin.id
        return gettext("Found '%(name)s' (client number %(number)s, wage tax number %(tax)s).") % {
            "name": name, "number": admin.client_number, "tax": admin.wage_tax_number}

    checks.append(_run("Payroll administration", administration))
    if not checks[-1].ok:
        return checks
    admin = found[0]
    employments: list[dict] | None = None  # None: could not be read, so payslips cannot be tried
    finished_runs: list[dict] | None = None

    def periods() -> str:
        page = client.get_page(endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=admin.id))
        return ngettext("%(count)s payroll period readable.", "%(count)s payroll periods readable.",
                        page.total_size) % {"count": page.total_size}

    def employment_list() -> str:
        nonlocal employments
        page = client.get_page(endpoints.path(endpoints.EMPLOYMENTS, employer_id=admin.employer_id))
        employments = page.items
        return ngettext("%(count)s employment readable.", "%(count)s employments readable.",
                        page.total_size) % {"count": page.total_size}

    def payslips() -> str:
        if employments is None:
            raise CheckNotPossible(gettext("Not tried: the employments could not be read (see above)."))
        if not employments:
            return gettext("No employments to read payslips of yet.")
        page = client.get_page(endpoints.path(endpoints.PAYSLIP_LIST, employment_id=employments[0]["id"]))
        return gettext("Payslips readable (%(count)s for the first employment).") % {"count": page.total_size}

    def journal_runs() -> str:
        nonlocal finished_runs
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUNS, administration_id=admin.id))
        finished_runs = [run for run in page.items
                         if (run.get("journalRunStatus") or {}).get("key")
                         not in endpoints.JOURNAL_RUN_STATUSES_WITHOUT_RESULTS and not run.get("removeTime")]
        return ngettext("%(count)s journal run readable.", "%(count)s journal runs readable.",
                        page.total_size) % {"count": page.total_size}

    def journal_results() -> str:
        if finished_runs is None:
            raise CheckNotPossible(gettext("Not tried: the journal runs could not be read (see above)."))
        if not finished_runs:
            return gettext("No finished journal run to read results of yet.")
        page = client.get_page(endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=finished_runs[-1]["id"]),
                               params={"consolidate": endpoints.JOURNAL_RESULTS_CONSOLIDATION})
        return ngettext("Journal run results readable (%(count)s line in a recent run).",
                        "Journal run results readable (%(count)s lines in a recent run).",
                        page.total_size) % {"count": page.total_size}

    def tax_returns() -> str:
        page = client.get_page(endpoints.path(endpoints.TAX_RETURNS, administration_id=admin.id))
        return ngettext("%(count)s wage tax return readable.", "%(count)s wage tax returns readable.",
                        page.total_size) % {"count": page.total_size}

    for name, call in (("Payroll periods", periods), ("Employments", employment_list), ("Payslips", payslips),
                       ("Journal runs", journal_runs), ("Journal run results", journal_results),
                       ("Wage tax returns", tax_returns)):
        checks.append(_run(name, call))
    return checks
