"""A month typed by a person ('2026-10', from the import form or `import_now --month`), in one place."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


class FutureMonth(ValueError):
    """A month after the current one: it has no payroll documents yet."""


def parse_month(value: str) -> date:
    """The first day of the month 'YYYY-MM' names. ValueError when it names none, FutureMonth when it
    lies after the current month (local time)."""
    year, month = (int(part) for part in value.split("-"))
    chosen = date(year, month, 1)
    if chosen > timezone.localdate().replace(day=1):
        raise FutureMonth(value)
    return chosen
