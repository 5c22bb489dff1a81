"""The Loket sandbox itself: what it promises the connector, the demo and out-of-process tests."""

from __future__ import annotations

import io
import json
import re

import httpx2
import pytest

from connectors.loket import endpoints
from sandbox.loket import create_app, data
from sandbox.loket.envelope import apply_filter
from sandbox.loket.files import simple_pdf

ADMINS = "/api/v2/providers/employers/administrations"


def test_generated_pdfs_are_structurally_valid():
    pdf = simple_pdf("Loonstrook (test) é", ["Brutoloon EUR 3.450,00", r"a \ b"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[startxref:startxref + 4] == b"xref"
    table = pdf[startxref:].split(b"trailer")[0].splitlines()[3:]
    for number, row in enumerate(table, start=1):
        offset = int(row[:10])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream_start = pdf.index(b"stream\n") + len(b"stream\n")
    assert pdf[stream_start + length:].startswith(b"\nendstream")


def test_the_api_wants_a_bearer_token(server):
    answer = httpx2.get(server.url + ADMINS, headers={"Accept": "application/json;version=2018-01-01"})
    assert answer.status_code == 401 and answer.json()["messages"][0]["type"] == "Exception"


def test_the_api_wants_a_versioned_accept_header(server, tokens):
    answer = httpx2.get(server.url + ADMINS, headers={"Authorization": f"Bearer {tokens.access_token}",
                                                     "Accept": "application/json"})
    assert answer.status_code == 406 and "version" in answer.json()["messages"][0]["description"]


def test_lists_come_in_loket_envelopes(server, tokens):
    answer = httpx2.get(server.url + ADMINS, params={"pageSize": 2, "pageNumber": 3},
                       headers={"Authorization": f"Bearer {tokens.access_token}",
                                "Accept": "application/json;version=2018-01-01"}).json()
    assert {k: answer[k] for k in ("totalSize", "pageSize", "totalPages", "currentPage")} == {
        "totalSize": 5, "pageSize": 2, "totalPages": 3, "currentPage": 3}
    assert len(answer["_embedded"]) == 1 and answer["messages"] == []
    assert answer["version"]["resourceVersion"] == "2018-01-01"
    assert set(answer["_embedded"][0]) >= {"id", "employerId", "clientNumber", "wageTaxNumber",
                                           "isPayrollAdministration", "description"}


def test_wage_tax_numbers_have_the_loonheffingennummer_format():
    assert all(re.fullmatch(r"\d{9}L\d{2}", a.wage_tax_number) for a in data.ADMINISTRATIONS)


def test_filter_supports_nested_fields_and_or_and_like():
    items = [{"a": {"b": 1}, "name": "Van Dijk"}, {"a": {"b": 2}, "name": "Korenschoof"}, {"a": {"b": 3}}]
    assert apply_filter(items, "a.b ge 2 and name lk 'koren'") == [items[1]]
    assert apply_filter(items, "A.B eq 1 or a.b eq 3") == [items[0], items[2]]
    with pytest.raises(ValueError):
        apply_filter(items, "a.b equals 1")


def test_periods_run_to_the_current_month_and_only_past_ones_are_approved(client, korenschoof, today):
    periods = client.list_all(endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=korenschoof.id))
    assert len(periods) == 24 and periods[0]["year"] == today.year - 1
    approved = [p for p in periods if p["hasApprovedPayrollRun"]]
    assert (approved[-1]["year"], approved[-1]["periodNumber"]) == (today.year, today.month)
    assert len(approved) == 12 + today.month


def test_the_token_endpoint_rotates_and_rejects_old_refresh_tokens_over_plain_http(server, tokens):
    def refresh(token, **auth):
        return httpx2.post(server.url + "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token,
                                                             **auth})

    first = refresh(tokens.refresh_token, client_id=data.CLIENT_ID, client_secret=data.CLIENT_SECRET)
    assert first.status_code == 200 and first.json()["expires_in"] == 3599
    assert first.headers["Cache-Control"] == "no-store"
    again = refresh(tokens.refresh_token, client_id=data.CLIENT_ID, client_secret=data.CLIENT_SECRET)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    basic = httpx2.post(server.url + "/oauth/token", auth=(data.CLIENT_ID, data.CLIENT_SECRET),
                       data={"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]})
    assert basic.status_code == 200
    odd = httpx2.post(server.url + "/oauth/token", auth=(data.CLIENT_ID, data.CLIENT_SECRET),
                     data={"grant_type": "password"})
    assert odd.json()["error"] == "unsupported_grant_type"


def test_access_tokens_expire_after_the_configured_lifetime(app, server, oauth, tokens):
    app.state.access_token_ttl = 0
    short = oauth.refresh(tokens.refresh_token)
    answer = httpx2.get(server.url + ADMINS, headers={"Authorization": f"Bearer {short.access_token}",
                                                     "Accept": "application/json;version=2018-01-01"})
    assert answer.status_code == 401


def test_an_unknown_client_gets_an_error_page_not_a_redirect(server):
    answer = httpx2.get(server.url + "/oauth/authorize", params={
        "client_id": "someone-else", "redirect_uri": "http://evil.test/", "response_type": "code", "scope": "all"})
    assert answer.status_code == 400 and "Location" not in answer.headers


def _wsgi_get(app, path, query="", script_name=""):
    captured = {}
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
                         "SCRIPT_NAME": script_name, "SERVER_NAME": "portal", "SERVER_PORT": "80",
                         "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"},
                        lambda status, headers, exc=None: captured.update(status=status)))
    return captured["status"], body


def test_it_works_under_a_mount_prefix_with_relative_form_targets():
    app = create_app(redirect_uris=["http://p/cb"])
    status, body = _wsgi_get(app, "/oauth/authorize", "client_id=payrollsync-sandbox&redirect_uri=http://p/cb"
                             "&response_type=code&scope=all&state=s", script_name="/sandbox/loket")
    assert status.startswith("200") and b'action=""' in body and b"http://" not in body


def test_faults_can_be_controlled_over_http():
    app = create_app()
    rule = json.dumps({"action": "http_error", "vendor": "loket", "operation": "GET " + ADMINS, "status": 500})
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/_faults", "CONTENT_LENGTH": str(len(rule)),
               "wsgi.input": io.BytesIO(rule.encode())}
    json.loads(b"".join(app(environ, lambda *a: None)))
    status, _ = _wsgi_get(app, ADMINS)
    assert status.startswith("500")


def test_a_download_asked_for_as_json_is_refused(client, korenschoof, today):
    from connectors.loket.errors import LoketRequestError

    employment = korenschoof.employees[0].employment_id(korenschoof.id)
    pdf = endpoints.path(endpoints.PAYSLIP_PDF, employment_id=employment,
                         payroll_period_id=data.payslip_summary_id(korenschoof.id, today.year, today.month))
    with pytest.raises(LoketRequestError):
        client.get_file(pdf, endpoints.MEDIA_JSON)
    assert client.get_file(pdf, endpoints.MEDIA_PDF).content.startswith(b"%PDF")
