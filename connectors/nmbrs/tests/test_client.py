"""The real zeep client against the sandbox over HTTP: listing operations, header, misbehaviour."""

import socket
import threading
import time

import pytest

from connectors.nmbrs import client as client_module
from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
from connectors.nmbrs.errors import (
    NmbrsBadResponse,
    NmbrsUnavailable,
    NoCompanyAccess,
    NotFound,
    UnknownNmbrsError,
)
from connectors.nmbrs.operations import PAYSLIPS, fetch_payslips_pdf
from connectors.nmbrs.records import Run
from sandbox.nmbrs import data


def test_debtors_are_listed_with_id_number_and_name(client):
    debtors = client.debtors()
    assert [(d.id, d.number, d.name) for d in debtors] == [(d.id, d.number, d.name) for d in data.DEBTORS]


def test_companies_of_a_debtor(client):
    companies = client.companies(debtor_id=7001)
    assert [(c.id, c.number, c.name) for c in companies] == [
        (50001, 101, "Bakkerij Jansen B.V."), (50002, 102, "Jansen Vastgoed B.V.")]
    assert companies[0].wage_tax_period == "Month" and companies[0].kvk_number == "34123456"


def test_every_call_carries_the_auth_header_with_domain(client, nmbrs_app):
    client.debtors()
    client.companies()
    assert [(c.service, c.username, c.domain, c.token_given) for c in nmbrs_app.state.calls] == [
        ("DebtorService", data.DEMO_USERNAME, data.DEMO_DOMAIN, True),
        ("CompanyService", data.DEMO_USERNAME, data.DEMO_DOMAIN, True),
    ]


def test_runs_of_a_year_reach_the_current_month(client, today):
    runs = client.runs(50003, today.year)
    assert [r.period_end for r in runs] == list(range(1, today.month + 1))
    current = runs[-1]
    assert not current.is_locked and all(r.is_locked for r in runs[:-1])
    assert current.run_at is not None and current.run_at.date() <= today


def test_wage_tax_returns_come_unfiltered_with_their_statuses(client, today):
    returns = client.wage_tax_returns(50001, today.year - 1)
    assert [w.period for w in returns] == list(range(1, 13))
    assert {w.status for w in returns} >= {"Vergrendeld", "Verzonden"}
    sent = next(w for w in returns if w.status == "Verzonden")
    unsent = next(w for w in returns if w.status == "Vergrendeld")
    assert sent.sent_at is not None and unsent.sent_at is None  # .NET's 0001-01-01 means "not set"


def test_a_company_of_another_debtor_is_fault_1003(make_client):
    limited = make_client(data.ONE_DEBTOR_USERNAME, data.ONE_DEBTOR_TOKEN)
    with pytest.raises(NoCompanyAccess):
        limited.runs(50003, 2025)
    with pytest.raises(NoCompanyAccess):
        limited.companies(debtor_id=7002)


def test_an_unknown_run_is_fault_2046(client, today):
    with pytest.raises(NotFound):
        fetch_payslips_pdf(client, 50001, Run(999, 1, today.year, 1, 1, "", None, True))


def test_the_parsed_wsdl_is_shared_by_every_client_of_the_process(base_url, nmbrs_app):
    client_module.forget_parsed_services()
    users = [(data.DEMO_USERNAME, data.DEMO_TOKEN), (data.ONE_DEBTOR_USERNAME, data.ONE_DEBTOR_TOKEN),
             (data.NO_ANNUAL_RIGHTS_USERNAME, data.NO_ANNUAL_RIGHTS_TOKEN)]
    seen = [len(NmbrsClient(NmbrsCredentials(u, t, data.DEMO_DOMAIN), base_url).companies()) for u, t in users]
    assert seen == [4, 2, 4]  # each call carried its own credentials...
    assert nmbrs_app.faults.calls["nmbrs:WSDL"] == 1  # ...through the one parsed client
    assert [c.username for c in nmbrs_app.state.calls] == [u for u, _ in users]


def test_clients_with_different_timeouts_share_one_parse_per_service(make_client, nmbrs_app, monkeypatch):
    client_module.forget_parsed_services()
    parses = []
    real_parse = client_module._parse
    monkeypatch.setattr(client_module, "_parse", lambda *key: parses.append(key) or real_parse(*key))
    for timeout in (20.0, 30.0, 120.0):  # the credentials form, the company pages, the imports
        client = make_client(timeout=timeout)
        assert client.companies() and client.debtors()
    assert sorted(service for _, service in parses) == ["CompanyService", "DebtorService"]
    assert nmbrs_app.faults.calls["nmbrs:WSDL"] == 2


def test_the_timeout_of_each_client_applies_to_its_calls_on_the_shared_parse(make_client, nmbrs_app, today):
    client_module.forget_parsed_services()
    patient, impatient = make_client(timeout=10.0), make_client(timeout=0.4)
    patient.companies()
    impatient.companies()
    assert nmbrs_app.faults.calls["nmbrs:WSDL"] == 1
    nmbrs_app.faults.add("delay", vendor="nmbrs", operation="Run_GetList", seconds=1.5, times=0)
    outcome = {}

    def slow_but_patient():
        outcome["runs"] = patient.runs(50001, today.year - 1)

    worker = threading.Thread(target=slow_but_patient)
    worker.start()  # at the same time: neither timeout may leak into the other's call
    started = time.monotonic()
    with pytest.raises(NmbrsUnavailable) as info:
        impatient.runs(50001, today.year - 1)
    assert time.monotonic() - started < 1.2, "the 0.4 s timeout applied, not the sandbox's 1.5 s delay"
    assert info.value.transient and "within 0.4 s" in info.value.message
    worker.join(10)
    assert len(outcome["runs"]) >= 12, "the patient client waited out the delay"
    assert nmbrs_app.faults.calls["nmbrs:WSDL"] == 1


def test_a_hanging_wsdl_host_does_not_block_other_services(base_url, nmbrs_app, monkeypatch):
    client_module.forget_parsed_services()
    monkeypatch.setattr(client_module, "WSDL_TIMEOUT", 2.0)
    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    hanging_url = f"http://127.0.0.1:{silent.getsockname()[1]}/soap/v3/"
    failed = []

    def load_from_the_hanging_host():
        try:
            client_module._load(hanging_url, "CompanyService")
        except NmbrsUnavailable as exc:
            failed.append(exc)

    worker = threading.Thread(target=load_from_the_hanging_host)
    try:
        worker.start()
        time.sleep(0.2)  # the worker is now waiting for the hanging host
        started = time.monotonic()
        client_module._load(base_url, "DebtorService")
        assert time.monotonic() - started < 1.0, "not blocked behind the other host's WSDL fetch"
        assert worker.is_alive()
        worker.join(5)
        assert failed and failed[0].operation == "WSDL"
    finally:
        silent.close()


def test_the_client_binds_to_the_configured_url_not_the_wsdl_address(base_url, nmbrs_app):
    client_module.forget_parsed_services()
    parsed = client_module._load(base_url, "CompanyService")
    assert parsed.proxy._binding_options["address"] == base_url + "CompanyService.asmx"


def test_a_slow_answer_within_the_timeout_succeeds(client, nmbrs_app):
    nmbrs_app.faults.add("delay", vendor="nmbrs", operation="List_GetAll", seconds=0.3)
    assert client.companies()


def test_no_answer_within_the_timeout_is_unavailable(make_client, nmbrs_app):
    impatient = make_client(timeout=0.5)
    impatient.companies()  # WSDL loaded before the fault
    nmbrs_app.faults.add("timeout", vendor="nmbrs", operation="Run_GetList", seconds=2)
    with pytest.raises(NmbrsUnavailable) as info:
        impatient.runs(50001, 2025)
    assert info.value.transient and "within 0.5 s" in info.value.message


def test_http_500_without_a_soap_fault_is_unavailable(client, nmbrs_app):
    nmbrs_app.faults.add("http_error", vendor="nmbrs", operation="List_GetAll", status=500,
                         body="Service Unavailable")
    with pytest.raises(NmbrsUnavailable) as info:
        client.companies()
    assert "HTTP 500" in info.value.message


def test_a_dropped_connection_is_unavailable(client, nmbrs_app):
    client.debtors()
    nmbrs_app.faults.add("drop_before", vendor="nmbrs", operation="List_GetAll")
    with pytest.raises(NmbrsUnavailable):
        client.debtors()


def test_malformed_xml_is_a_bad_response(client, nmbrs_app):
    nmbrs_app.faults.add("malformed", vendor="nmbrs", operation="Run_GetList")
    with pytest.raises(NmbrsBadResponse) as info:
        client.runs(50001, 2025)
    assert info.value.transient


def test_an_unknown_fault_keeps_the_vendor_text(client, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="WageTax_GetList", message="9999: Unknown error",
                         times=0)
    with pytest.raises(UnknownNmbrsError) as info:
        client.wage_tax_returns(50001, 2025)
    assert info.value.code == 9999 and "9999: Unknown error" in info.value.message


def test_an_unknown_code_is_tried_a_bounded_number_of_times_then_permanent(client, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="WageTax_GetList", message="7777: New failure",
                         times=0)
    with pytest.raises(UnknownNmbrsError) as info:
        client.wage_tax_returns(50001, 2025)
    assert not info.value.transient
    assert nmbrs_app.faults.calls["nmbrs:WageTax_GetList"] == client.attempts_on_1006 == 3


def test_an_unknown_code_that_clears_up_on_retry_is_not_an_error(client, nmbrs_app, today):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="WageTax_GetList", message="7777: Hiccup")
    assert client.wage_tax_returns(50001, today.year - 1), "last year's returns (the sandbox has them on any day)"


def test_a_dead_host_is_unavailable():
    client_module.forget_parsed_services()
    dead = NmbrsClient(NmbrsCredentials("a@b.nl", "t", "x"), "http://127.0.0.1:9/soap/v3/")
    with pytest.raises(NmbrsUnavailable):
        dead.companies()


def test_payslips_operation_name_is_the_v2_all_in_one_pdf():
    assert PAYSLIPS == "SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2"


def test_a_forked_process_posts_on_connections_of_its_own(client, base_url):
    from tests.forking import in_forked_child

    client.debtors()  # parsed, and a connection kept alive in the parsed service's session
    parsed = [service for (url, _name), service in client_module._parsed.items() if url == base_url]
    sessions = [service.client.transport.session for service in parsed]
    assert sessions
    assert in_forked_child(lambda: all(service.client.transport.session is not session
                                       for service, session in zip(parsed, sessions, strict=True)))
    assert [service.client.transport.session for service in parsed] == sessions  # the parent keeps its own
    assert client.debtors()  # and goes on posting on them
