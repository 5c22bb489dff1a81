"""The REST client against the sandbox: headers, paging, filter/orderBy, retries and typed errors."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from connectors.loket import endpoints
from connectors.loket.client import LoketClient
from connectors.loket.errors import (
    RIGHT_EXPORT_JOURNAL_RUN,
    RIGHT_PAYROLL_OUTPUT,
    LoketForbidden,
    LoketMalformedResponse,
    LoketNotFound,
    LoketRateLimited,
    LoketRequestError,
    LoketTransientError,
)
from connectors.loket.tests.fixtures import api_calls
from sandbox.loket import data

ADMINS = "GET /api/v2" + endpoints.ADMINISTRATIONS


def _employments_path(admin):
    return endpoints.path(endpoints.EMPLOYMENTS, employer_id=admin.employer_id)


def _summary_pdf_path(admin, month):
    employment = admin.employees[0].employment_id(admin.id)
    return endpoints.path(endpoints.PAYSLIP_PDF, employment_id=employment,
                          payroll_period_id=data.payslip_summary_id(admin.id, month.year, month.number))


def test_every_call_sends_the_versioned_accept_header_and_the_bearer_token(client, provider, app, korenschoof,
                                                                           this_month):
    client.get_page(endpoints.ADMINISTRATIONS)
    client.get_file(_summary_pdf_path(korenschoof, this_month), endpoints.MEDIA_PDF)
    json_call, pdf_call = app.state.requests[-2:]
    assert json_call["accept"] == "application/json;version=2018-01-01"
    assert pdf_call["accept"] == "application/pdf", "a download asks for its file type, as Loket's examples do"
    assert {json_call["authorization"], pdf_call["authorization"]} == {f"Bearer {provider.tokens.access_token}"}


def test_paging_walks_page_numbers_until_total_pages(env, provider, app, korenschoof):
    with LoketClient(env.api_base, provider, page_size=3) as client:
        items = client.list_all(_employments_path(korenschoof))
    assert [i["employee"]["employeeNumber"] for i in items] == [1001, 1002, 1003, 1004]
    queries = [parse_qs(c["query"]) for c in api_calls(app, "/employees/employments")]
    assert [(q["pageNumber"], q["pageSize"]) for q in queries] == [(["1"], ["3"]), (["2"], ["3"])]


def test_paging_stops_at_the_last_page_when_it_divides_evenly(env, provider, app, korenschoof):
    with LoketClient(env.api_base, provider, page_size=2) as client:
        items = client.list_all(_employments_path(korenschoof))
    assert len(items) == 4
    assert len(api_calls(app, "/employees/employments")) == 2


def test_filter_and_order_by_reach_loket(client, app):
    items = client.list_all(endpoints.ADMINISTRATIONS, filter="clientNumber eq 40124", order_by="-description")
    assert [i["description"] for i in items] == ["Van Dijk personeel (tot 2020)", "Van Dijk personeel"]
    query = parse_qs(app.state.requests[-1]["query"])
    assert query["filter"] == ["clientNumber eq 40124"] and query["orderBy"] == ["-description"]


def test_429_waits_for_retry_after_then_succeeds(client, app, sleeps):
    app.faults.add("http_error", vendor="loket", operation=ADMINS, status=429, headers={"Retry-After": "2"})
    assert client.get_page(endpoints.ADMINISTRATIONS).total_size == 5
    assert sleeps.calls == [2.0]


def test_429_with_a_long_retry_after_gives_up_at_once_and_says_when(client, app, sleeps):
    app.faults.add("http_error", vendor="loket", operation=ADMINS, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(LoketRateLimited) as caught:
        client.get_page(endpoints.ADMINISTRATIONS)
    assert caught.value.retry_after == 3600 and caught.value.transient
    assert sleeps.calls == []


def test_500s_are_retried_with_growing_backoff(client, app, sleeps):
    app.faults.add("http_error", vendor="loket", operation=ADMINS, status=500, times=2)
    assert client.get_page(endpoints.ADMINISTRATIONS).total_size == 5
    assert sleeps.calls == [0.5, 1.0]


def test_retries_are_bounded(client, app, sleeps):
    app.faults.add("http_error", vendor="loket", operation=ADMINS, status=502, times=0)
    with pytest.raises(LoketTransientError, match="HTTP 502"):
        client.get_page(endpoints.ADMINISTRATIONS)
    assert app.faults.calls["loket:" + ADMINS] == 4
    assert sleeps.calls == [0.5, 1.0, 2.0]


def test_a_timeout_is_retried(client, app, sleeps):
    app.faults.add("timeout", vendor="loket", operation=ADMINS, seconds=1.0)
    assert client.get_page(endpoints.ADMINISTRATIONS).total_size == 5
    assert len(sleeps.calls) == 1


def test_a_dropped_connection_is_retried(client, app):
    app.faults.add("drop_before", vendor="loket", operation=ADMINS)
    assert client.get_page(endpoints.ADMINISTRATIONS).total_size == 5


def test_malformed_json_is_retried_then_reported(client, app):
    app.faults.add("malformed", vendor="loket", operation=ADMINS)
    assert client.get_page(endpoints.ADMINISTRATIONS).total_size == 5
    app.faults.add("malformed", vendor="loket", operation=ADMINS, times=0)
    with pytest.raises(LoketMalformedResponse, match="not valid JSON"):
        client.get_page(endpoints.ADMINISTRATIONS)


def test_a_broken_pdf_is_reported_not_returned(client, app, korenschoof, this_month):
    pdf_path = _summary_pdf_path(korenschoof, this_month)
    app.faults.add("malformed", vendor="loket", operation="GET /api/v2" + pdf_path, times=0)
    with pytest.raises(LoketMalformedResponse, match="application/pdf"):
        client.get_file(pdf_path, endpoints.MEDIA_PDF)


def test_403_names_the_missing_right_and_is_not_retried(client, app, korenschoof, sleeps):
    app.state.revoke_right(data.RIGHT_PAYROLL_OUTPUT)
    path = endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=korenschoof.id)
    with pytest.raises(LoketForbidden) as caught:
        client.get_page(path)
    assert caught.value.missing_right == RIGHT_PAYROLL_OUTPUT
    assert "Raadplegen loonoutput" in caught.value.message and not caught.value.transient
    assert caught.value.messages[0].description == "The user is not authorized to perform this operation."
    assert len(api_calls(app, "/payrollperiods")) == 1 and sleeps.calls == []


def test_403_on_journal_results_names_the_export_right(client, app, korenschoof, this_month):
    app.state.revoke_right(data.RIGHT_EXPORT_JOURNAL_RUN)
    run_id = data.guid("journalrun", korenschoof.id, this_month.year, this_month.number)
    with pytest.raises(LoketForbidden) as caught:
        client.get_page(endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=run_id))
    assert caught.value.missing_right == RIGHT_EXPORT_JOURNAL_RUN


def test_404_is_not_found(client):
    with pytest.raises(LoketNotFound):
        client.get_item(endpoints.path(endpoints.TAX_RETURN, tax_return_id="00000000-0000-0000-0000-000000000000"))


def test_a_broken_business_rule_carries_loket_messages(client, app, korenschoof, this_month):
    app.state.set_journal_run_status(korenschoof.id, this_month.year, this_month.number, 1)
    run_id = data.guid("journalrun", korenschoof.id, this_month.year, this_month.number)
    with pytest.raises(LoketRequestError, match="has no results") as caught:
        client.get_page(endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=run_id))
    assert caught.value.status == 400 and caught.value.messages[0].type == "BrokenBusinessRule"


def test_clients_share_one_verifying_tls_context_per_process():
    """Building a TLS context reads the CA bundle (tens of ms of CPU): made once, and still verifying."""
    import ssl

    from connectors.loket import client as client_module

    first, second = (LoketClient("https://api.loket.nl/v2", lambda force_refresh=False: "t") for _ in range(2))
    try:
        assert client_module._tls_context() is client_module._tls_context()
        context = client_module._tls_context()
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert first.http._transport._pool._ssl_context is context is second.http._transport._pool._ssl_context
    finally:
        first.close()
        second.close()
