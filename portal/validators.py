"""Input rules shared by forms, query parameters and management commands: one place for each.

Every rule raises django's ValidationError with a Dutch text (the UI's default language), which forms
show at the field and commands print as their error.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ASCII_NUMBER = re.compile(r"[0-9]+\Z")
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")
# The largest id PostgreSQL's bigint (Django's BigAutoField) holds: anything above matches nothing.
MAX_ID = 2**63 - 1
# Dutch payroll records are kept seven years (fiscal retention): months before January of the seventh
# year back are not fetched from the payroll sources, so a backfill stops there.
RETENTION_YEARS = 7


def normalize_guid(value: str) -> str:
    return (value or "").strip().strip("{}").lower()


def validate_guid(value: str) -> None:
    """Yuki identifies domains and administrations by GUIDs (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."""
    if value and not GUID.match(value):
        raise ValidationError(
            _("Enter the ID as Yuki shows it: 32 hexadecimal characters in groups of 8-4-4-4-12, for "
              "example 2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0001."), code="guid")


def clean_client_number(value: str) -> str:
    """An employer's client number (Relatiecode): a positive whole number in ordinary digits (stored
    without leading zeros)."""
    value = (value or "").strip()
    if not value:
        return ""
    if not ASCII_NUMBER.match(value) or int(value) == 0:
        raise ValidationError(_("A client number is a positive whole number (digits 0-9 only), for example 40123."),
                              code="client_number")
    return str(int(value))


def parse_id(value) -> int:
    """A record id from a query parameter, a form or a command line: ASCII digits, 1 up to MAX_ID."""
    text = str(value if value is not None else "").strip()
    if not ASCII_NUMBER.match(text) or not 0 < int(text) <= MAX_ID:
        raise ValidationError(_("“%(value)s” is not a valid number.") % {"value": text[:40]}, code="id")
    return int(text)


def earliest_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year - RETENTION_YEARS, 1, 1)


def parse_month(value: str, today: date | None = None) -> date:
    """A month to import (YYYY-MM): not in the future, not before the retention period."""
    today = today or timezone.localdate()
    match = MONTH.match((value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_("Choose a month as YYYY-MM, for example %(example)s.")
                              % {"example": today.strftime("%Y-%m")}, code="month")
    chosen = date(int(match.group(1)), int(match.group(2)), 1)
    if chosen > today.replace(day=1):
        raise ValidationError(_("A future month has no payroll documents yet."), code="future")
    if chosen < earliest_month(today):
        raise ValidationError(_("Choose a month from %(earliest)s on: payroll documents are kept %(years)s years.")
                              % {"earliest": earliest_month(today).strftime("%Y-%m"), "years": RETENTION_YEARS},
                              code="too_early")
    return chosen


class IdField(forms.IntegerField):
    """An id in a form or query string: a clear error for 'abc', '1.5', '²' or 20 digits, never a crash."""

    default_error_messages = {"invalid": gettext_lazy("Enter a valid number.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_id(value)
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _checked_keys(field, values):
    """Refuse, as an invalid choice, any key that is not a record id (parse_id) before the queryset sees it:
    a database can only compare ids in its own range (SQLite raises OverflowError on 2**63 and up)."""
    for value in values:
        try:
            parse_id(value)
        except ValidationError:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": str(value)[:40]}) from None


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField (by pk) whose posted key is bounded like every id (parse_id) before any query."""

    def to_python(self, value):
        if value not in self.empty_values:
            _checked_keys(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField (by pk) whose posted keys are bounded like every id before any query."""

    def _check_values(self, value):
        _checked_keys(self, value)
        return super()._check_values(value)
