"""Prometheus metrics at /metrics/ when METRICS_ENABLED (README: "Health and metrics").

At scrape time, from the database: import runs by status, ledger documents by state, and each Yuki
domain's calls today against the daily budget. From the processes that made them: vendor call latency
and errors, fed by the vendor libraries' one log record per call (`vendor_call` extra: vendor,
operation, seconds, outcome), so those libraries stay free of Django and of Prometheus. Workers and
web processes share them through PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode).
django-prometheus adds request and database metrics.
"""

from __future__ import annotations

import hmac
import logging
import os
import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

VENDOR_CALL_SECONDS = Histogram("payrollsync_vendor_call_seconds", "Duration of calls to Yuki and the payroll sources",
                                ["vendor", "operation"],
                                buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
VENDOR_CALL_ERRORS = Counter("payrollsync_vendor_call_errors_total", "Vendor calls that did not succeed",
                             ["vendor", "operation", "outcome"])

# REST paths carry IDs; one label value per endpoint, not per employer.
_ID_SEGMENT = re.compile(r"/(?:[0-9a-fA-F-]{8,}|\d+)(?=/|$)")


def operation_label(operation: str) -> str:
    return _ID_SEGMENT.sub("/{id}", operation)


class VendorCallMetrics(logging.Handler):
    """A logging handler (settings.LOGGING) that counts the records carrying a `vendor_call`."""

    def emit(self, record: logging.LogRecord) -> None:
        call = getattr(record, "vendor_call", None)
        if call is None:
            return
        vendor, operation, seconds, outcome = call
        operation = operation_label(operation)
        VENDOR_CALL_SECONDS.labels(vendor, operation).observe(seconds)
        if outcome != "ok":
            VENDOR_CALL_ERRORS.labels(vendor, operation, outcome).inc()


class PortalCollector:
    """Read at every scrape: what the ledger and the run log hold now."""

    def collect(self):
        from django.conf import settings
        from django.db.models import Count

        from portal.models import ImportRun, LedgerEntry, YukiCallCount
        from yuki_client import amsterdam_day

        runs = GaugeMetricFamily("payrollsync_import_runs", "Import runs by status", labels=["status"])
        for status, count in ImportRun.objects.values_list("status").annotate(n=Count("pk")).order_by():
            runs.add_metric([status], count)
        yield runs
        documents = GaugeMetricFamily("payrollsync_documents", "Ledger documents by state (booked, failed, "
                                      "needs_check, ...)", labels=["state"])
        for state, count in LedgerEntry.objects.values_list("state").annotate(n=Count("pk")).order_by():
            documents.add_metric([state], count)
        yield documents
        calls = GaugeMetricFamily("payrollsync_yuki_calls_today", "Yuki calls made today (Europe/Amsterdam) "
                                  "per Yuki domain", labels=["domain"])
        budget = GaugeMetricFamily("payrollsync_yuki_call_budget", "Yuki calls allowed per domain per day "
                                   "(YUKI_DAILY_BUDGET)")
        for domain_id, count in YukiCallCount.objects.filter(day=amsterdam_day()).values_list("domain_id", "count"):
            calls.add_metric([domain_id], count)
        budget.add_metric([], settings.YUKI_DAILY_BUDGET)
        yield calls
        yield budget


def metrics(request):
    from django.conf import settings
    from django.http import Http404, HttpResponse

    if not settings.METRICS_ENABLED:
        raise Http404
    header, token = request.headers.get("Authorization", ""), settings.METRICS_TOKEN
    if not token or not hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return HttpResponse("Unauthorized\n", status=401, content_type="text/plain",
                            headers={"WWW-Authenticate": "Bearer"})
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    output = generate_latest(registry) + generate_latest(_portal_registry())
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


def _portal_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(PortalCollector())
    return registry
