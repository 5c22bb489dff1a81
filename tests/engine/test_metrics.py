"""GET /metrics/ (METRICS_ENABLED): after a real import against the sandboxes, the runs, documents,
Yuki calls against the budget and the vendor calls' latency are there, and only with the token."""

import re

import pytest

from portal.metrics import VENDOR_CALL_ERRORS, VENDOR_CALL_SECONDS, operation_label
from tests.engine.test_engine_nmbrs import import_now

TOKEN = "metrics-token-0123456789"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED, settings.METRICS_TOKEN = True, TOKEN


def sample(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    match = re.search(rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\S+)$" if labels else rf"^{name} (\S+)$",
                      text, re.MULTILINE)
    assert match, f"{name}{{{wanted}}} not in the metrics"
    return float(match.group(1))


def test_metrics_need_the_setting_and_the_token(client, settings, metrics_on):
    assert client.get("/metrics/").status_code == 401
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 401
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer ").status_code == 401, "no token: nobody"
    settings.METRICS_ENABLED = False
    assert client.get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_an_import_shows_in_the_metrics(client, settings, metrics_on, bakkerij_nmbrs, yuki):
    before = VENDOR_CALL_SECONDS.labels("yuki", "Accounting.ProcessJournal")._sum.get()
    nmbrs_before = VENDOR_CALL_SECONDS.labels("nmbrs", "CompanyService.Run_GetList")._sum.get()
    run = import_now(bakkerij_nmbrs)
    response = client.get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert sample(text, "payrollsync_import_runs", status="succeeded") == 1
    assert sample(text, "payrollsync_documents", state="booked") == run.booked > 0
    domain = bakkerij_nmbrs.domain.yuki_domain_id
    assert sample(text, "payrollsync_yuki_calls_today", domain=domain) == run.yuki_calls > 0
    assert sample(text, "payrollsync_yuki_call_budget") == settings.YUKI_DAILY_BUDGET
    assert VENDOR_CALL_SECONDS.labels("yuki", "Accounting.ProcessJournal")._sum.get() > before
    assert VENDOR_CALL_SECONDS.labels("nmbrs", "CompanyService.Run_GetList")._sum.get() > nmbrs_before
    assert 'payrollsync_vendor_call_seconds_count{operation="Accounting.ProcessJournal",vendor="yuki"}' in text


def test_a_failing_vendor_call_counts_as_an_error(bakkerij_nmbrs, yuki, nmbrs):
    errors = VENDOR_CALL_ERRORS.labels("nmbrs", "CompanyService.Run_GetList", "NmbrsUnavailable")
    before = errors._value.get()
    nmbrs.app.faults.add("http_error", vendor="nmbrs", operation="Run_GetList", status=503, times=0)
    import_now(bakkerij_nmbrs)
    assert errors._value.get() > before


def test_loket_ids_do_not_become_labels():
    assert operation_label("/providers/employers/6c8f4a2e-1b3d-4e5f-8a7b-9c0d1e2f3a4b/payrolladministrations") \
        == "/providers/employers/{id}/payrolladministrations"
    assert operation_label("/payrolladministrations/12345/payrollperiods/2026") \
        == "/payrolladministrations/{id}/payrollperiods/{id}"
