"""A Loket document that is not bookable yet is handed over as waiting, under its document's key."""

import pytest

from connectors.documents import DocumentKind, Period
from connectors.loket.administrations import LoketAdministration
from connectors.loket.mapping import waiting_journal, waiting_tax_return

ADMIN = LoketAdministration("adm-1", "emp-1", "40123", "812345678L01", "Korenschoof")
NOVEMBER = Period.month(2026, 11)


@pytest.mark.parametrize(("status", "reason", "text"), [
    ({"key": 2, "value": "Goedgekeurd"}, "not_final", "Goedgekeurd"),
    ({"key": 9, "value": "Ingetrokken"}, "unknown_status", "Ingetrokken"),
    ({"key": 7}, "unknown_status", "7"),
    (None, "unreadable", ""),
    ({"value": ""}, "unreadable", ""),
])
def test_a_tax_return_not_final_waits_with_loket_s_own_words(status, reason, text):
    waiting = waiting_tax_return(ADMIN, {"id": "tr-1", "payrollTaxReturnStatus": status}, NOVEMBER)
    assert (waiting.reason, waiting.status) == (reason, text)
    assert waiting.source_id == "loket:wage_tax_return:tr-1:report", "the key its report is booked under"
    assert waiting.kind is DocumentKind.WAGE_TAX_RETURN and waiting.period == NOVEMBER


def test_an_unfinished_journal_run_waits_under_its_journal_key():
    run = {"id": "jr-1", "sequenceNumber": 2, "journalRunStatus": {"key": 1, "value": "In behandeling"}}
    waiting = waiting_journal(run, NOVEMBER)
    assert (waiting.source_id, waiting.reason, waiting.status) == ("loket:journal:jr-1", "not_final", "In behandeling")
    assert waiting.title == "Salarisjournaal 2026-11 (run 2)"
