"""A correction's values read as the person writes amounts and dates, not as the fingerprint stores them."""

from django.utils import translation

from portal.imports.changes import describe


def test_a_change_shows_amounts_and_dates_in_the_readers_format():
    gross = {"item": "Brutoloon:", "field": "text", "before": "EUR 3100.00", "after": "EUR 3150.00"}
    paid = {"item": "A. de Boer (E2E-1)", "field": "amount", "before": "2170.00", "after": "12205.50"}
    day = {"item": "A. de Boer (E2E-1)", "field": "execution_date", "before": "2026-11-25", "after": "2026-11-26"}
    assert describe(gross) == "Brutoloon: EUR 3.100,00 → EUR 3.150,00"
    assert describe(paid) == "A. de Boer (E2E-1) bedrag: 2.170,00 → 12.205,50"
    assert describe(day) == "A. de Boer (E2E-1) uitvoerdatum: 25-11-2026 → 26-11-2026"
    with translation.override("en"):
        assert describe(gross) == "Brutoloon: EUR 3,100.00 → EUR 3,150.00"


def test_numbers_that_are_not_amounts_stay_as_they_are():
    change = {"item": "", "field": "pages", "before": "2", "after": "3"}
    assert describe(change) == "aantal pagina's: 2 → 3"
    ids = {"item": "", "field": "TijdvakAangifte/LoonheffingenNr", "before": "812345678L01", "after": "812345678L02"}
    assert describe(ids).endswith("812345678L01 → 812345678L02")
