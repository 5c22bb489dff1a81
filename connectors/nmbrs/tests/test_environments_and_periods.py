from datetime import date

import pytest

from connectors.nmbrs.environments import LIVE, VENDOR_SANDBOX, resolve_base_url, service_url
from connectors.nmbrs.mapping import four_weekly_period, year_period


def test_named_environments_and_our_own_base_url():
    assert resolve_base_url(None) == resolve_base_url("live") == LIVE == "https://api.nmbrs.nl/soap/v3/"
    assert resolve_base_url(" Sandbox ") == VENDOR_SANDBOX == "https://api-sandbox.nmbrs.nl/soap/v3/"
    ours = resolve_base_url("http://127.0.0.1:8000/sandbox/nmbrs/soap/v3")
    assert service_url(ours, "DebtorService") == "http://127.0.0.1:8000/sandbox/nmbrs/soap/v3/DebtorService.asmx"


def test_anything_else_is_refused():
    with pytest.raises(ValueError, match="'live', 'sandbox' or an http"):
        resolve_base_url("api.nmbrs.nl")


def test_four_weekly_periods_are_consecutive_28_day_blocks_from_iso_week_one():
    first, second = four_weekly_period(2026, 1), four_weekly_period(2026, 2)
    assert first.start == date(2025, 12, 29) and first.end == date(2026, 1, 25)
    assert second.start == date(2026, 1, 26) and second.key == "2026-P02"


def test_annual_documents_cover_the_whole_year():
    period = year_period(2025)
    assert (period.start, period.end, period.key) == (date(2025, 1, 1), date(2025, 12, 31), "2025-P00")
