"""How the portal writes periods, amounts and audit values for the person reading (in their language):
one place for these rules, used by every template ({% load portal_format %})."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext

register = template.Library()

_PERIOD = re.compile(r"^(?P<year>\d{4})-(?P<p>P)?(?P<number>\d{2})$")


@register.filter
def period(key) -> str:
    """A ledger period key in words: '2025-P00' (a whole year: annual documents) -> '2025';
    '2026-11' -> 'november 2026'; '2026-P13' (four-weekly) -> 'periode 13 2026'."""
    match = _PERIOD.match(str(key or ""))
    if not match:
        return str(key or "")
    year, number = int(match["year"]), int(match["number"])
    if number == 0:
        return str(year)
    if not match["p"] and 1 <= number <= 12:
        return formats.date_format(date(year, number, 1), "YEAR_MONTH_FORMAT")
    return gettext("period %(number)s %(year)s") % {"number": number, "year": year}


@register.filter
def amount(value) -> str:
    """An amount with two decimals and grouped thousands in the reader's language: 1.234,56 / 1,234.56."""
    if value in (None, ""):
        return ""
    try:
        Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return floatformat(value, "2g")


@register.filter
def day(value) -> str:
    """A date (or an ISO date text, as stored in a dry run's preview) in the reader's short date format."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


@register.filter
def folder_name(folder) -> str:
    """A Yuki archive folder number by its name ("Personeel")."""
    from portal.imports.booking import folder_name as name

    return name(folder)


@register.filter
def translated(text) -> str:
    """A text stored in its source form (an English msgid: see portal.auditing), in the reader's language."""
    return gettext(str(text)) if text else ""


@register.filter
def audit_value(change: dict, side: str) -> str:
    """One side ("old"/"new") of an audit change as the reader writes it: '–' for nothing, yes/no, dates
    and times in their format, labels stored as msgids ("translate") translated; names, numbers as they are."""
    value, translate = change.get(side), change.get("translate", False)
    if value is True or value is False:
        return gettext("yes") if value else gettext("no")
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        if translate:
            return gettext(value)
        moment = _moment(value)
        if moment is not None:
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT" if isinstance(moment, datetime)
                                       else "SHORT_DATE_FORMAT")
        return value
    return formats.localize(value)


def _moment(text: str):
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return date.fromisoformat(text)
        if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", text):
            from django.utils import timezone

            moment = datetime.fromisoformat(text)
            return timezone.localtime(moment) if timezone.is_aware(moment) else moment
    except ValueError:
        return None
    return None
