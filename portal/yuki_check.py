"""Is this the right Yuki administration? The access key and administration ID checked against Yuki.

`Administrations` lists what the key reaches (docs/vendors/yuki.md, "Access keys": a key is made inside
one administration and reaches what it was made for); the ID must be among them, and its name is what
the form and the administration page show. Two calls (Authenticate and Administrations, or one with a
stored session), counted in the domain's daily budget like every call: with the budget used up nothing
is asked and the caller saves with a notice. The same check runs behind the "Yuki testen" button, which
also lists the accounts the latest journal uses that Yuki's chart lacks (portal/account_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from portal import account_check
from portal.imports import booking
from portal.models import EntryState, LedgerEntry
from portal.sentences import fill
from portal.vendors import charge_calls, yuki_client_for
from yuki_client import DailyLimitError, InvalidAccessKeyError, YukiError, YukiTransportError
from yuki_client.fault_messages import reason


class Verdict(StrEnum):
    FOUND = "found"
    REFUSED = "refused"  # Yuki answered: the key or the ID is wrong
    UNCHECKED = "unchecked"  # Yuki was not asked (budget) or could not be reached: nothing known


@dataclass
class YukiCheck:
    verdict: Verdict
    message: str
    name: str = ""  # the administration's name in Yuki, when found
    form_field: str = ""  # the form field the refusal is about
    missing: list[str] = field(default_factory=list)  # 'code name' of accounts Yuki lacks (latest journal)


def verify(domain, access_key: str, administration_id: str) -> YukiCheck:
    if not access_key:
        return YukiCheck(Verdict.REFUSED, _("Yuki needs the access key (API key) of this administration."),
                         form_field="yuki_access_key")
    client = yuki_client_for(domain, access_key)
    try:
        return _verdict(client.administrations(), administration_id)
    except InvalidAccessKeyError:
        return YukiCheck(Verdict.REFUSED, _("Yuki does not accept this access key. Copy the API key from Yuki "
                                            "(Settings > API keys) of this administration."), form_field="yuki_access_key")
    except DailyLimitError:
        return YukiCheck(Verdict.UNCHECKED, _("Not checked with Yuki: today's Yuki call budget of this domain is "
                                              "used up. The access key and administration ID are checked at the "
                                              "next import, or press 'Test Yuki' tomorrow."))
    except YukiTransportError as exc:
        return YukiCheck(Verdict.UNCHECKED, _("Not checked with Yuki: Yuki could not be reached (%(error)s). "
                                              "Press 'Test Yuki' on the administration page later.") % {
                                                  "error": reason(exc)})
    except YukiError as exc:
        # Any other fault says nothing about this key or ID (Yuki's own trouble): saving goes on, with the
        # reason, rather than locking every setting of the administration until Yuki is well again.
        return YukiCheck(Verdict.UNCHECKED, _("Not checked with Yuki: Yuki answered with an error (%(error)s). "
                                              "Press 'Test Yuki' on the administration page later.") % {
                                                  "error": reason(exc)})
    finally:
        charge_calls(None, client.store.reserved)


def _verdict(administrations, administration_id: str) -> YukiCheck:
    wanted = (administration_id or "").strip().lower()
    found = next((a for a in administrations if a.id.strip().lower() == wanted), None)
    if found is not None:
        return YukiCheck(Verdict.FOUND, fill(_("Yuki knows this administration: %(name)s."), {"name": found.name}),
                         name=found.name)
    reachable = ", ".join(f"{a.name} ({a.id})" for a in administrations)
    if reachable:
        message = _("Yuki has no administration with ID %(id)s for this access key. The key reaches: "
                    "%(reachable)s.") % {"id": administration_id, "reachable": reachable}
    else:
        message = _("Yuki has no administration with ID %(id)s for this access key; the key reaches no "
                    "administration at all.") % {"id": administration_id}
    return YukiCheck(Verdict.REFUSED, message, form_field="yuki_administration_id")


def latest_journal(administration) -> LedgerEntry | None:
    return (LedgerEntry.objects.filter(administration=administration, journal_lines__isnull=False)
            .exclude(state=EntryState.WAITING_AT_SOURCE).order_by("-period", "-updated_at").first())


def missing_in_latest_journal(administration) -> tuple[LedgerEntry | None, list[account_check.Missing]]:
    """The accounts the latest journal (after the mapping) uses that Yuki's chart lacks: the chart read
    fresh (one call). Raises YukiError when Yuki cannot give it."""
    entry = latest_journal(administration)
    if entry is None:
        return None, []
    client = yuki_client_for(administration.domain, administration.yuki_access_key)
    try:
        chart = account_check.read_chart(administration, client)
    finally:
        charge_calls(None, client.store.reserved)
    return entry, account_check.missing_accounts(booking.mapped_lines(entry), chart) if chart else []


def test_yuki(administration) -> YukiCheck:
    """The "Yuki testen" button and the connection test: the key and ID, then the latest journal's accounts."""
    check = verify(administration.domain, administration.yuki_access_key, administration.yuki_administration_id)
    if check.verdict != Verdict.FOUND:
        return check
    try:
        entry, missing = missing_in_latest_journal(administration)
    except YukiError as exc:
        check.message += " " + _("The chart of accounts could not be read: %(error)s.") % {"error": reason(exc)}
        return check
    check.missing = [f"{item.code} {item.name}".strip() for item in missing]
    if missing:
        check.message += " " + account_check.describe(missing, administration)
    elif entry is not None:
        check.message += " " + _("Every account of the latest journal entry exists in Yuki.")
    return check
