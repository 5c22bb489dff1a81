"""Status texts -> stages, and which stage a filter takes (the one table, connectors/nmbrs/wage_tax_statuses.py)."""

import pytest

from connectors.nmbrs.wage_tax_statuses import taken, unknown


@pytest.mark.parametrize(("status", "wanted", "expected"), [
    ("Verzonden", "locked", False), ("Verzonden", "sent", True), ("Verzonden", "accepted", False),
    ("Vergrendeld", "locked", True), ("Vergrendeld", "sent", False), ("Locked", "LOCKED", True),
    ("Geaccepteerd", "sent", False), ("Aangemaakt", "locked", False), ("  verzonden ", "sent", True),
    ("Sent_External", "sent", True),
])
def test_a_filter_takes_exactly_its_status_in_any_spelling(status, wanted, expected):
    assert taken(status, wanted) is expected


def test_an_unknown_text_is_never_taken_by_a_stage_filter_and_is_flagged():
    assert not taken("Klaargezet", "locked") and unknown("Klaargezet")
    assert not unknown("Verzonden")


def test_a_filter_that_is_no_stage_matches_the_text_literally():
    assert taken("Klaargezet", "klaargezet") and not taken("Verzonden", "klaargezet")


@pytest.mark.parametrize(("status", "wanted", "reason"), [
    ("Aangemaakt", ["locked"], "not_final"),  # before the stage wanted: may still get there
    ("Verzonden", ["locked"], "filtered"),  # past it: the settings do not select it
    ("Vergrendeld", ["sent", "accepted"], "not_final"),
    ("Klaar voor verzending", ["locked"], "unknown_status"),
    ("Vergrendeld", ["Mijn eigen status"], "filtered"),  # a literal filter text names another status
])
def test_why_a_return_is_not_taken(status, wanted, reason):
    from connectors.nmbrs.wage_tax_statuses import why_not_taken

    assert why_not_taken(status, wanted) == reason
