"""The month's completeness report, per administration and per domain (portal/completeness.py): the page,
the deliberate read-back from Yuki with its call cost shown first, and the CSV and PDF exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import completeness, completeness_read_back, permissions
from portal.completeness_export import as_csv, as_pdf, read_back_text, summary_text
from portal.models import LedgerEntry
from portal.views.access import administration_for, domain_for, portal_view


def _month(request, administrations, month: str | None = None) -> str:
    """The month asked for; else the latest payroll month in the ledger; else this month."""
    month = month if month is not None else request.GET.get("month", "")
    if month:
        if not completeness.valid_month(month):
            raise Http404
        return month
    latest = (LedgerEntry.objects.filter(administration__in=administrations, period__regex=r"^\d{4}-\d{2}$")
              .order_by("-period").values_list("period", flat=True).first())
    return latest or timezone.localdate().strftime("%Y-%m")


def _months(administrations, current: str) -> list[str]:
    months = set(LedgerEntry.objects.filter(administration__in=administrations, period__regex=r"^\d{4}-\d{2}$")
                 .values_list("period", flat=True).distinct())
    return sorted(months | {current}, reverse=True)


def _cost(administrations, month: str) -> dict:
    estimated = sum(completeness_read_back.estimate(a, month) for a in administrations)
    remaining = completeness_read_back.remaining_today(administrations[0].domain) if administrations else 0
    return {"calls": estimated, "remaining": remaining, "affordable": estimated <= remaining}


@portal_view()
def administration_report(request, pk):
    administration = administration_for(request.user, pk, edit=False)
    month = _month(request, [administration])
    return render(request, "portal/completeness.html", {
        "administration": administration, "domain": administration.domain, "month": month,
        "month_label": completeness.month_label(month), "months": _months([administration], month),
        "reports": [_described(completeness.report(administration, month))],
        "cost": _cost([administration], month),
        "can_edit": permissions.can_edit_domain(request.user, administration.domain),
    })


@portal_view()
def domain_report(request, pk):
    domain = domain_for(request.user, pk, edit=False)
    administrations = list(domain.administrations.order_by("name"))
    month = _month(request, administrations)
    return render(request, "portal/completeness.html", {
        "domain": domain, "month": month, "month_label": completeness.month_label(month),
        "months": _months(administrations, month),
        "reports": [_described(completeness.report(a, month)) for a in administrations],
        "cost": _cost(administrations, month),
        "can_edit": permissions.can_edit_domain(request.user, domain),
    })


def _described(report):
    report.read_back_text = read_back_text(report)
    report.summary_text = summary_text(report)
    return report


def _read_back(request, administrations, month: str) -> None:
    cost = _cost(administrations, month)
    if not cost["calls"]:
        messages.info(request, _("Nothing to read back: the portal booked nothing in this month."))
        return
    if not cost["affordable"]:
        messages.error(request, _("Not read back: it costs %(calls)s Yuki calls and today only %(remaining)s are "
                                  "left in this domain's budget. Read back tomorrow.") % cost)
        return
    records = [completeness_read_back.read_back(a, month, request.user) for a in administrations]
    calls = sum(record.calls for record in records)
    errors = [record.error for record in records if record.error]
    differences = sum(len(completeness.report(a, month).differences) for a in administrations)
    text = _("Read back from Yuki: %(calls)s calls, %(differences)s differences.") % {
        "calls": calls, "differences": differences}
    if errors:
        messages.warning(request, f"{text} {errors[0]}")
    elif differences:
        messages.warning(request, text)
    else:
        messages.success(request, text)


@require_POST
@portal_view()
def administration_read_back(request, pk, month):
    administration = administration_for(request.user, pk, edit=True)
    month = _month(request, [administration], month)
    _read_back(request, [administration], month)
    return redirect(f"{reverse('portal:completeness', args=[administration.pk])}?month={month}")


@require_POST
@portal_view()
def domain_read_back(request, pk, month):
    domain = domain_for(request.user, pk, edit=True)
    month = _month(request, [], month)
    _read_back(request, list(domain.administrations.order_by("name")), month)
    return redirect(f"{reverse('portal:domain-completeness', args=[domain.pk])}?month={month}")


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_stem(name: str, month: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")[:60] or "portal"
    return f"volledigheid-{safe}-{month}"


@portal_view()
def administration_export(request, pk, month, fmt):
    administration = administration_for(request.user, pk, edit=False)
    month = _month(request, [administration], month)
    return _export([completeness.report(administration, month)], administration.name, month, fmt)


@portal_view()
def domain_export(request, pk, month, fmt):
    domain = domain_for(request.user, pk, edit=False)
    month = _month(request, [], month)
    reports = [completeness.report(a, month) for a in domain.administrations.order_by("name")]
    return _export(reports, domain.name, month, fmt)


def _export(reports, name: str, month: str, fmt: str) -> HttpResponse:
    stem = _file_stem(name, month)
    if fmt == "csv":
        return _download(as_csv(reports), "text/csv; charset=utf-8", f"{stem}.csv")
    if fmt == "pdf":
        title = _("Completeness of %(month)s: %(name)s") % {"month": completeness.month_label(month), "name": name}
        return _download(as_pdf(reports, title), "application/pdf", f"{stem}.pdf")
    raise Http404
