"""Nmbrs names a monthly run by its month with a capital ("December 2026"); Dutch text writes it the
portal's way ("december 2026"), in a document's title and in why a year is not finished yet."""

from datetime import datetime

import pytest
from django.utils import translation

from connectors.nmbrs.mapping import run_name
from connectors.nmbrs.records import Run
from connectors.nmbrs.source import why_year_not_finished


def _run(month, description):
    return Run(id=month, number=month, year=2026, period_start=month, period_end=month, description=description,
               run_at=datetime(2026, month, 1, 10, 0), is_locked=True)


@pytest.mark.parametrize("language, description, expected", [
    ("nl", "December 2026", "december 2026"),
    ("nl", "december 2026", "december 2026"),
    ("en", "December 2026", "December 2026"),
    ("nl", "Correctie maart 2026", "Correctie maart 2026"),
    ("nl", "", "run 12"),
])
def test_a_run_named_after_its_month_is_written_in_the_portals_period_format(language, description, expected):
    with translation.override(language):
        assert run_name(_run(12, description)) == expected


NMBRS_MONTHS = ("Januari", "Februari", "Maart", "April", "Mei", "Juni", "Juli", "Augustus", "September", "Oktober",
                "November")


def test_why_the_year_is_not_finished_writes_the_month_in_lower_case():
    runs = [_run(month, f"{name} 2026") for month, name in enumerate(NMBRS_MONTHS, start=1)]
    with translation.override("nl"):
        why = why_year_not_finished(2026, runs)
    assert "(november 2026)" in why
    assert "November" not in why
