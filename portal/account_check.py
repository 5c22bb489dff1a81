"""Every journal line's account checked against the Yuki administration's chart before anything is sent.

Yoobi's Yuki help says the ledger accounts on both sides must match (docs/vendors/yuki.md, "Chart of
accounts"). The chart comes from `AccountingInfo.GetGLAccountScheme`, read once per administration per
Amsterdam day (the call counts in the domain's daily budget like any other) and kept in the cache. A
chart that lacks an account is read again once per import run, so an account created in Yuki meanwhile is
found by the next import. The administration's own mapping (payroll account -> Yuki account, optionally
per cost centre) is applied first: what is checked is what would be booked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import YukiAccountMapping
from yuki_client import amsterdam_day

CHART_SECONDS = 26 * 3600  # the key names the day; this only lets yesterday's entry go


@dataclass
class Missing:
    """A Yuki account a journal would book on that the administration's chart lacks."""

    code: str  # after mapping: the account Yuki would be asked for
    name: str  # the payroll source's words for it (the line's own text)
    lines: list[int] = field(default_factory=list)  # 1-based line numbers in the journal
    payroll_account: str = ""  # before mapping, when a mapping led here


def _chart_key(administration) -> str:
    return f"yuki-chart:{administration.pk}:{administration.yuki_administration_id}:{amsterdam_day().isoformat()}"


def cached_chart(administration) -> dict[str, str] | None:
    return cache.get(_chart_key(administration))


def read_chart(administration, client) -> dict[str, str]:
    """Yuki's chart for the administration (one call), kept for the rest of the day."""
    chart = {account.code: account.description
             for account in client.gl_account_scheme(administration.yuki_administration_id)}
    cache.set(_chart_key(administration), chart, CHART_SECONDS)
    return chart


def chart_for(administration, client) -> dict[str, str]:
    chart = cached_chart(administration)
    return chart if chart is not None else read_chart(administration, client)


def may_reread(administration, run_id) -> bool:
    """Once per run (across workers: an atomic add) a chart lacking an account is read again."""
    return cache.add(f"yuki-chart-reread:{administration.pk}:{run_id}", 1, CHART_SECONDS)


# --- the mapping -------------------------------------------------------------------------------------
def mappings_of(administration) -> dict[tuple[str, str], str]:
    """(payroll account, cost centre or "") -> Yuki account."""
    return {(m.payroll_account, m.cost_centre): m.yuki_account
            for m in YukiAccountMapping.objects.filter(administration_id=administration.pk)}


def map_line(raw: dict, mappings: dict[tuple[str, str], str]) -> dict:
    """A stored journal line (JournalLine.as_dict) with its account mapped: the cost centre's own mapping
    first, then the account's; unmapped lines keep the payroll account. The payroll account is kept in
    `payroll_gl_account` when it changed."""
    account = raw["gl_account"]
    centre = raw.get("cost_centre") or ""
    target = (mappings.get((account, centre)) if centre else None) or mappings.get((account, ""))
    if not target or target == account:
        return raw
    return {**raw, "gl_account": target, "payroll_gl_account": account}


def map_lines(raw_lines: list[dict], mappings: dict[tuple[str, str], str]) -> list[dict]:
    return [map_line(raw, mappings) for raw in raw_lines]


def missing_accounts(lines: list[dict], chart: dict[str, str]) -> list[Missing]:
    """The accounts of `lines` (mapped, in journal order) that the chart lacks, each with its lines."""
    found: dict[str, Missing] = {}
    for number, raw in enumerate(lines, start=1):
        code = raw["gl_account"]
        if code in chart:
            continue
        missing = found.setdefault(code, Missing(code, _line_text(raw), payroll_account=raw.get(
            "payroll_gl_account", "")))
        missing.lines.append(number)
    return list(found.values())


def _line_text(raw: dict) -> str:
    text = (raw.get("description") or "").strip()
    return text[:80]


def yuki_name(administration) -> str:
    return administration.yuki_administration_name or administration.yuki_administration_id


def describe(missing: list[Missing], administration) -> str:
    """'4015 Vakantiegeld (regel 3, 5) bestaat niet in Yuki-administratie X', one sentence per account."""
    parts = []
    for item in missing:
        lines = ", ".join(str(n) for n in item.lines)
        where = ngettext("line %(lines)s", "lines %(lines)s", len(item.lines)) % {"lines": lines}
        mapped = (_(" (mapped from %(account)s)") % {"account": item.payroll_account}) if item.payroll_account else ""
        parts.append(_("%(code)s %(name)s%(mapped)s (%(where)s) does not exist in Yuki administration %(yuki)s.") % {
            "code": item.code, "name": item.name, "mapped": mapped, "where": where, "yuki": yuki_name(administration)})
    return " ".join(parts)
