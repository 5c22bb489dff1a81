"""Linking administrations to Nmbrs companies by number (docs/vendors/nmbrs.md, "Linking administrations to companies": "Bepaal of het nummer
moet overeenkomen"). Pure: the caller lists the companies and stores the links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from connectors.nmbrs.records import Company
from connectors.texts import gettext


def normalize_number(value) -> str:
    """Company numbers compare as text without surrounding spaces; all-digit numbers ignore leading
    zeros ('0101' matches company number 101)."""
    text = str(value if value is not None else "").strip()
    return str(int(text)) if text.isdigit() else text.casefold()


@dataclass(frozen=True)
class CompanyMatch:
    administration: Hashable
    company: Company


@dataclass(frozen=True)
class CompanyMismatch:
    administration: Hashable
    number: str
    reason: str  # specific, in the language active when matching (gettext)


@dataclass
class MatchResult:
    matches: list[CompanyMatch] = field(default_factory=list)
    mismatches: list[CompanyMismatch] = field(default_factory=list)
    unmatched_companies: list[Company] = field(default_factory=list)  # companies no administration took


def match_companies(companies: Iterable[Company], administration_numbers: Mapping[Hashable, object]) -> MatchResult:
    """`administration_numbers`: administration key (e.g. its pk) -> its number. Each administration
    is matched to the one company with the same number, or reported with the reason it was not."""
    companies = list(companies)
    by_number: dict[str, list[Company]] = defaultdict(list)
    for company in companies:
        by_number[normalize_number(company.number)].append(company)
    admins_by_number: dict[str, list[Hashable]] = defaultdict(list)
    for admin, number in administration_numbers.items():
        admins_by_number[normalize_number(number)].append(admin)

    result = MatchResult()
    taken: set[int] = set()
    for admin, raw in administration_numbers.items():
        number = normalize_number(raw)
        shown = str(raw if raw is not None else "").strip()
        candidates = by_number.get(number, [])
        if not number:
            reason = gettext("the administration has no Relatiecode to match on")
        elif len(admins_by_number[number]) > 1:
            reason = gettext("several administrations have Relatiecode %(number)s; give each a unique one") % {
                "number": shown}
        elif not candidates:
            reason = gettext("no Nmbrs company has number %(number)s") % {"number": shown}
        elif len(candidates) > 1:
            names = ", ".join(c.name for c in candidates)
            reason = gettext("several Nmbrs companies have number %(number)s (%(names)s); link one by hand") % {
                "number": shown, "names": names}
        else:
            result.matches.append(CompanyMatch(admin, candidates[0]))
            taken.add(candidates[0].id)
            continue
        result.mismatches.append(CompanyMismatch(admin, shown, reason))
    result.unmatched_companies = [c for c in companies if c.id not in taken]
    return result
