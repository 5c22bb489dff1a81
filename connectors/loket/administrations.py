"""Find the Loket payroll administration of one of our administrations.

docs/vendors/loket.md: an administration is linked by its Loket client number (stored as "Relatiecode") and its
wage tax number (loonheffingennummer). `GET /providers/employers/administrations` lists every
administration the Loket user sees with both (docs/vendors/loket.md), so one call maps them to Loket's ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from connectors.loket import endpoints
from connectors.loket.client import LoketClient
from connectors.loket.errors import AdministrationNotFound, AmbiguousAdministration


@dataclass(frozen=True)
class LoketAdministration:
    id: str
    employer_id: str
    client_number: str
    wage_tax_number: str
    description: str = ""


def normalise_wage_tax_number(value: str) -> str:
    """'8123.45.678.L.01' / '812345678l01' -> '812345678L01' (9 digits, L, 2 digits)."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _active(item: dict, today: date) -> bool:
    end = item.get("endDate")
    try:
        return not end or date.fromisoformat(str(end)[:10]) >= today
    except ValueError:
        return True


def _as_administration(item: dict) -> LoketAdministration:
    return LoketAdministration(id=str(item["id"]), employer_id=str(item.get("employerId") or ""),
                               client_number=str(item.get("clientNumber") or ""),
                               wage_tax_number=str(item.get("wageTaxNumber") or ""),
                               description=str(item.get("description") or ""))


def find_administration(client: LoketClient, client_number: str, wage_tax_number: str,
                        today: date | None = None) -> LoketAdministration:
    """The one payroll administration with this client number and wage tax number, or a clear error.

    Non-payroll administrations are ignored; when an ended and an active one share the numbers
    (a reorganisation), the active one wins. Anything else ambiguous is an error, never a guess.
    """
    today = today or date.today()
    number = str(client_number or "").strip()
    wanted = normalise_wage_tax_number(wage_tax_number)
    if not number.isdigit():
        raise AdministrationNotFound(f"The Loket client number {client_number!r} is not a number. Enter the "
                                     "client number from Loket.nl Classic (tab 'Adm') as the Relatiecode.",
                                     reason=AdministrationNotFound.NOT_A_NUMBER, client_number=str(client_number or ""))
    if not wanted:
        raise AdministrationNotFound("No wage tax number (loonheffingennummer) is set for this administration. "
                                     "Enter it on the administration's tax tab.",
                                     reason=AdministrationNotFound.NO_WAGE_TAX_NUMBER, client_number=number)
    candidates = [item for item in client.iter_list(endpoints.ADMINISTRATIONS, filter=f"clientNumber eq {number}")
                  if str(item.get("clientNumber")) == number]
    payroll = [item for item in candidates if item.get("isPayrollAdministration", True)]
    matches = [item for item in payroll if normalise_wage_tax_number(str(item.get("wageTaxNumber"))) == wanted]
    if len(matches) > 1:
        active = [item for item in matches if _active(item, today)]
        matches = active if active else matches
    if len(matches) == 1:
        return _as_administration(matches[0])
    if len(matches) > 1:
        names = ", ".join(f"'{item.get('description') or item.get('id')}'" for item in matches)
        raise AmbiguousAdministration(
            f"Loket has {len(matches)} payroll administrations with client number {number} and wage tax number "
            f"{wanted} ({names}). Ask Loket which one to use, or make the Loket user see only that one.",
            count=len(matches), client_number=number, wage_tax_number=wanted, names=names)
    if payroll:
        others = ", ".join(sorted({str(item.get("wageTaxNumber")) for item in payroll}))
        raise AdministrationNotFound(
            f"Loket client number {number} has no payroll administration with wage tax number {wanted} "
            f"(it has: {others}). Check the loonheffingennummer of this administration.",
            reason=AdministrationNotFound.OTHER_WAGE_TAX_NUMBERS, client_number=number, wage_tax_number=wanted,
            others=others)
    raise AdministrationNotFound(
        f"The Loket user sees no payroll administration with client number {number}. Check the client number "
        "(Relatiecode) and that the Loket user has access to this employer.",
        reason=AdministrationNotFound.NOT_VISIBLE, client_number=number, wage_tax_number=wanted)
