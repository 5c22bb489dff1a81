"""The run log, a run's page with live progress, document histories, and the import actions."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from connectors.documents import DocumentKind, Period
from portal import permissions
from portal.effective import effective_settings
from portal.imports import reconcile, runs
from portal.models import Administration, EntryState, ImportRun, LedgerEntry, RunStatus, RunTrigger
from portal.scheduling import import_plan
from portal.views.access import administration_for, domain_for, portal_view


def visible_runs(user):
    return ImportRun.objects.filter(administration__domain__in=permissions.visible_domains(user)) \
        .select_related("administration__domain", "requested_by")


class RunFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("All statuses"))] + RunStatus.choices)
    trigger = forms.ChoiceField(required=False, choices=[("", gettext_lazy("All triggers"))] + RunTrigger.choices)
    source = forms.ChoiceField(required=False, choices=[("", gettext_lazy("All sources")), ("loket", "Loket.nl"),
                                                        ("nmbrs", "Nmbrs")])
    q = forms.CharField(required=False, label=gettext_lazy("Administration"))


@portal_view()
def run_log(request):
    qs = visible_runs(request.user)
    form = RunFilter(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["trigger"]:
            qs = qs.filter(trigger=data["trigger"])
        if data["source"]:
            qs = qs.filter(source=data["source"])
        if data["q"]:
            qs = qs.filter(administration__name__icontains=data["q"])
    if (administration_pk := request.GET.get("administration", "")).isdigit():
        qs = qs.filter(administration_id=administration_pk)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/run_log.html", {"page": page, "form": form, "query": query.urlencode()})


@portal_view()
def run_detail(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("administration__domain", "requested_by"), pk=pk)
    if not permissions.can_view_domain(request.user, run.administration.domain):
        raise PermissionDenied
    # Polled every 2 s while running: no file contents or journal lines loaded for this list.
    entries = LedgerEntry.objects.filter(events__run=run).distinct().order_by("kind", "title").defer(
        "content", "pending_content", "journal_lines", "booked_journal_lines", "metadata", "pending")
    template = "portal/_run_progress.html" if request.headers.get("HX-Request") else "portal/run_detail.html"
    live = runs.progress(run) if run.status == RunStatus.RUNNING else {}
    if live:
        live["pending"] = live.get(EntryState.NEW, 0) + live.get(EntryState.PUSHING, 0)
    return render(request, template, {
        "run": run, "entries": entries, "live": live,
        "can_edit": permissions.can_edit_domain(request.user, run.administration.domain),
    })


@portal_view()
def document_detail(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    if not permissions.can_view_domain(request.user, entry.administration.domain):
        raise PermissionDenied
    return render(request, "portal/document_detail.html", {
        "entry": entry, "events": entry.events.select_related("run"),
        "can_edit": permissions.can_edit_domain(request.user, entry.administration.domain),
    })


@portal_view()
def needs_check(request):
    entries = LedgerEntry.objects.filter(
        state=EntryState.NEEDS_CHECK, check_by_person=True,
        administration__domain__in=permissions.visible_domains(request.user)
    ).select_related("administration__domain")
    return render(request, "portal/needs_check.html", {"entries": entries})


@require_POST
@portal_view()
def document_answer(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    if not permissions.can_edit_domain(request.user, entry.administration.domain):
        raise PermissionDenied
    in_yuki = request.POST.get("answer") == "in_yuki"
    if not entry.check_by_person:
        messages.warning(request, _("This document is still being checked automatically; answer only when asked."))
    elif reconcile.answer(entry.pk, in_yuki=in_yuki, user=request.user):
        from portal.imports import ledger

        if not in_yuki or ledger.take_up_pending(entry.pk, None):
            with transaction.atomic():
                runs.retry_failed(entry.administration, user=request.user, states=(EntryState.NEW,))
        messages.success(request, _("Thank you: %(title)s is %(what)s.") % {
            "title": entry.title, "what": _("marked as booked") if in_yuki else _("being booked again")})
    else:
        messages.warning(request, _("This document no longer needs a check."))
    return redirect("portal:document", pk=entry.pk)


class ImportForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=gettext_lazy("Leave empty for the current import window; choose an earlier "
                                                   "month to import that month (backfill)."))
    dry_run = forms.BooleanField(label=gettext_lazy("Dry run: show what would be booked, book nothing"),
                                 required=False)

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            chosen = date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError(_("Choose a month as YYYY-MM.")) from exc
        if chosen > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("A future month has no payroll documents yet."))
        return chosen


def plan_for(administration: Administration, month: date | None):
    """Import now: the same documents the schedule would fetch; a chosen month: that month only."""
    settings_ = effective_settings(administration).import_settings
    if month is None:
        return import_plan(administration.source, settings_, timezone.localdate())
    period = Period.month(month.year, month.month)
    plan = import_plan(administration.source, settings_, month)
    return {kind: (period,) for kind in plan} or {DocumentKind.PAYSLIP: (period,)}


def start_import(administration: Administration, user, month: date | None, dry_run: bool) -> ImportRun:
    trigger = RunTrigger.BACKFILL if month else RunTrigger.MANUAL
    run = runs.create_run(administration, trigger=trigger, plan=plan_for(administration, month), user=user,
                          dry_run=dry_run)
    runs.enqueue(run)
    return run


def _already_running(request, administration):
    """One import of an administration at a time: a second click shows the one that is running."""
    if run := runs.active_run(administration):
        messages.info(request, _("An import of %(name)s is already under way.") % {"name": administration.name})
        return redirect("portal:run", pk=run.pk)
    return None


@require_POST
@portal_view()
def import_now(request, pk):
    administration = administration_for(request.user, pk, edit=True)
    form = ImportForm(request.POST)
    if not request.POST.get("dry_run") and (busy := _already_running(request, administration)):
        return busy
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:administration", pk=pk)
    with transaction.atomic():
        run = start_import(administration, request.user, form.cleaned_data["month"], form.cleaned_data["dry_run"])
    return redirect("portal:run", pk=run.pk)


@require_POST
@portal_view()
def import_bulk(request, domain_pk):
    domain = domain_for(request.user, domain_pk, edit=True)
    form = ImportForm(request.POST)
    ids = request.POST.getlist("administration")
    chosen = list(domain.administrations.filter(pk__in=ids))
    if not chosen or not form.is_valid():
        messages.error(request, _("Select at least one administration (and a valid month)."))
        return redirect("portal:domain", pk=domain.pk)
    dry_run = form.cleaned_data["dry_run"]
    started = [a for a in chosen if dry_run or not runs.active_run(a)]
    with transaction.atomic():
        for administration in started:
            start_import(administration, request.user, form.cleaned_data["month"], dry_run)
    messages.success(request, ngettext("Import started for %(n)s administration.",
                                       "Import started for %(n)s administrations.", len(started)) % {"n": len(started)})
    if len(started) < len(chosen):
        busy = len(chosen) - len(started)
        messages.info(request, ngettext("%(n)s was already being imported.", "%(n)s were already being imported.",
                                        busy) % {"n": busy})
    return redirect("portal:runs")


@require_POST
@portal_view()
def retry_failed(request, pk):
    administration = administration_for(request.user, pk, edit=True)
    if busy := _already_running(request, administration):
        return busy
    with transaction.atomic():
        run = runs.retry_failed(administration, user=request.user)
    if run is None:
        messages.info(request, _("There are no failed documents to retry."))
        return redirect("portal:administration", pk=pk)
    return redirect("portal:run", pk=run.pk)


class AnnualDocumentsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= timezone.localdate().year + 1:
            raise forms.ValidationError(_("Annual documents exist only for years that have ended or are running."))
        return year


@portal_view()
def annual_documents(request):
    """Seed 002's bulk action: select Nmbrs administrations and fetch their annual documents for a year."""
    editable = list(Administration.objects.filter(source="nmbrs", domain__in=permissions.editable_domains(
        request.user)).select_related("domain"))
    form = AnnualDocumentsForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in editable if str(a.pk) in request.POST.getlist("administration")]
        if not chosen:
            messages.error(request, _("Select at least one administration."))
        else:
            from portal.imports.runs import year_period

            plan = {DocumentKind.ANNUAL_DOCUMENT: (year_period(form.cleaned_data["year"]),)}
            with transaction.atomic():
                for administration in chosen:
                    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan, user=request.user,
                                          category="annual")
                    runs.enqueue(run)
            messages.success(request, ngettext(
                "Fetching the annual documents of %(year)s for %(n)s administration.",
                "Fetching the annual documents of %(year)s for %(n)s administrations.", len(chosen)) % {
                "year": form.cleaned_data["year"], "n": len(chosen)})
            return redirect("portal:runs")
    return render(request, "portal/annual_documents.html", {"form": form, "administrations": editable})
