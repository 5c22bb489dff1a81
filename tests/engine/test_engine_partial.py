"""One kind of document that cannot be fetched does not stop the others; the run says what is missing."""

from portal.models import Notice, RunStatus
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_loket import import_now as import_from_loket
from tests.engine.test_engine_nmbrs import import_now


def test_an_nmbrs_journal_refused_for_rights_leaves_payslips_and_sepa_booked(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.faults.add("soap_fault", vendor="nmbrs", operation="Journals_GetByRunCompany_v2", times=0,
                         message="Server was unable to process request. ---> 1002: No rights for this operation")
    run = import_now(bakkerij_nmbrs)
    kinds = set(fetched_entries().values_list("kind", flat=True))
    assert kinds == {"payslip", "sepa"}, "the rest is booked"
    assert run.status == RunStatus.PARTLY_FAILED
    assert "journaalpost" in run.result and "Journals_GetByRunCompany_v2" in run.result, run.result
    assert Notice.objects.filter(administration=bakkerij_nmbrs).exists(), "someone is told"
    assert len(booked_in_yuki(yuki)) == 2


def test_a_loket_journal_run_refused_leaves_payslips_and_returns_booked(korenschoof, yuki, loket):
    loket.app.faults.add("http_error", vendor="loket", operation="GET */journalruns*", status=403, times=0,
                         headers={"Content-Type": "application/json"},
                         body='{"messages": [{"code": 403, "type": "error", "description": "Forbidden"}]}')
    run = import_from_loket(korenschoof)
    kinds = set(fetched_entries().values_list("kind", flat=True))
    assert kinds == {"payslip", "wage_tax_return"}
    assert run.status == RunStatus.PARTLY_FAILED
    assert "journaalpost" in run.result and "mist het recht" in run.result, run.result


def test_when_nothing_can_be_fetched_the_run_fails_with_the_reason(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.faults.add("soap_fault", vendor="nmbrs", operation="*", times=0,
                         message="Server was unable to process request. ---> 1002: No rights")
    run = import_now(bakkerij_nmbrs)
    assert run.status == RunStatus.FAILED, run.result
    assert "API-recht" in run.result, "the reason, in the bookkeeper's words"
    assert booked_in_yuki(yuki) == []
