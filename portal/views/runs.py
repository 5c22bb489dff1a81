"""The run log, a run's page with live progress, document histories, and the import actions."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Lookup, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from connectors.documents import DocumentKind, Period
from portal import permissions, tasks
from portal.effective import effective_settings
from portal.imports import changes, ledger, reconcile, runs
from portal.models import (
    Administration,
    EntryState,
    ImportRun,
    LedgerEntry,
    LedgerEvent,
    RunStatus,
    RunTrigger,
)
from portal.paging import COUNT_CAP, paginate
from portal.scheduling import import_plan
from portal.sources import registry
from portal.sources.registry import keys_offering, source_choices
from portal.validators import RETENTION_YEARS, IdField, earliest_month, parse_id, parse_month
from portal.views.access import administration_for, check_domain, domain_for, portal_view

# What a page about documents leaves in the database: the files, the journal lines and the newer version
# waiting to be taken up. None of the pages shows them.
DOCUMENT_CONTENT = ("content", "pending_content", "journal_lines", "booked_journal_lines", "sent_journal_lines",
                    "metadata", "pending", "fingerprint")
# check_note() asks whether a document is a journal entry; this answers without loading the lines.
IS_JOURNAL = ExpressionWrapper(Q(journal_lines__isnull=False), output_field=BooleanField())
# Documents per page of a dry run's preview: fewer than a list's rows, as each one shows its journal lines.
PREVIEW_PER_PAGE = 20


class _AnyOf(Lookup):
    """`pk__any_of=ArraySubquery(...)`: `id = ANY(ARRAY(SELECT ...))` (PostgreSQL)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


LedgerEntry._meta.pk.register_lookup(_AnyOf)


def documents_of(run: ImportRun):
    """The run's documents: those with an event of the run. On PostgreSQL as `id = ANY(ARRAY(...))`, so
    they are fetched by primary key; as `id IN (SELECT ...)` the planner read the whole ledger for a run
    of thousands (bench_pages, 100,000 entries, a run of 2,000: 50 + 40 ms for a page and its count,
    against 6 + 4 ms this way)."""
    ids = LedgerEvent.objects.filter(run=run).order_by().values("entry_id")
    if connection.vendor == "postgresql":
        return LedgerEntry.objects.filter(pk__any_of=ArraySubquery(ids))
    return LedgerEntry.objects.filter(pk__in=ids)


def visible_runs(user):
    runs = ImportRun.objects.select_related("administration__domain", "requested_by")
    if permissions.can_manage_portal_settings(user):  # sees every domain (visible_domains): no join to count
        return runs
    return runs.filter(administration__domain__in=permissions.visible_domains(user))


class RunFilter(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All statuses"))] + RunStatus.choices)
    trigger = forms.ChoiceField(label=gettext_lazy("Trigger"), required=False,
                                choices=[("", gettext_lazy("All triggers"))] + RunTrigger.choices)
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False,
                               choices=lambda: [("", gettext_lazy("All sources")), *source_choices()])
    q = forms.CharField(required=False, label=gettext_lazy("Administration"), max_length=200)
    administration = IdField(required=False, widget=forms.HiddenInput)


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
        if data["administration"]:
            qs = qs.filter(administration_id=data["administration"])
    elif form.is_bound:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    # The list shows totals and words: not a run's plan, its dry-run preview or its problem lists.
    page = paginate(request, qs.defer("plan", "periods", "dry_run_preview", "source_waiting", "problems"),
                    cap=COUNT_CAP)
    busy = False
    # A running run's totals come from its documents, as on the run page (runs.progress), so both show
    # the same numbers: for all running runs of the page in one query.
    running = [run for run in page if run.status == RunStatus.RUNNING and not run.dry_run]
    live = runs.progress_of([run.pk for run in running]) if running else {}
    for run in running:
        by_state = live.get(run.pk, {})
        run.booked, run.failed = by_state.get(EntryState.BOOKED, 0), runs.failed_of(by_state)
    for run in page:
        busy = busy or not run.is_finished
    template = "portal/_run_log_table.html" if request.headers.get("HX-Request") else "portal/run_log.html"
    return render(request, template, {"page": page, "form": form, "busy": busy})


@portal_view()
def run_detail(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("administration__domain", "requested_by"), pk=pk)
    check_domain(request.user, run.administration.domain, edit=False)
    # Polled every 2 s while running: a page of the run's documents (the poll asks for the same page),
    # without file contents or journal lines; is_journal answers check_note instead of the lines.
    entries = documents_of(run).defer(*DOCUMENT_CONTENT).annotate(is_journal=IS_JOURNAL).order_by(
        "kind", "title", "pk")
    template = "portal/_run_progress.html" if request.headers.get("HX-Request") else "portal/run_detail.html"
    live = runs.progress(run) if run.status == RunStatus.RUNNING else {}
    if live:
        live["pending"] = live.get(EntryState.NEW, 0) + live.get(EntryState.PUSHING, 0)
        live["failed"] = runs.failed_of(live)  # as the run log
    return render(request, template, {
        "run": run, "entries": paginate(request, entries), "live": live,
        # A dry run's preview (stored on the run, in memory) pages on its own parameter, beside the documents.
        "preview": paginate(request, run.dry_run_preview, per_page=PREVIEW_PER_PAGE, param="preview_page")
        if run.dry_run and run.dry_run_preview else None,
        "can_edit": permissions.can_edit_domain(request.user, run.administration.domain),
    })


@portal_view()
def document_detail(request, pk):
    # The page shows the document's state and history, not the document itself.
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain").defer(
        *DOCUMENT_CONTENT).annotate(is_journal=IS_JOURNAL), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=False)
    # Oldest first, as the history always read; a document sent again many times has pages of them.
    # Only the run's id is shown (a link): the run itself is not loaded.
    events = paginate(request, entry.events.order_by("at", "pk"))
    return render(request, "portal/document_detail.html", {
        "entry": entry, "events": events, "resendable": runs.RESENDABLE,
        # A correction: what this version changed against the booked one ("Brutoloon: EUR 3100.00 → EUR 3150.00").
        "changes": [changes.describe(c) for c in entry.changes or []] if entry.version > 1 else [],
        "can_edit": permissions.can_edit_domain(request.user, entry.administration.domain),
    })


@portal_view()
def needs_check(request):
    # Only what the lists show: never the stored documents (a PDF each) or their journal lines.
    uncertain = LedgerEntry.objects.filter(
        state=EntryState.NEEDS_CHECK, administration__domain__in=permissions.visible_domains(request.user)
    ).select_related("administration__domain").only(
        "title", "period", "last_error", "state", "check_by_person", "attempted_at", "updated_at",
        "administration__name", "administration__domain__name", "administration__domain").annotate(
        is_journal=IS_JOURNAL).order_by("administration__domain__name", "administration__name", "period", "title", "pk")
    return render(request, "portal/needs_check.html", {
        "entries": paginate(request, uncertain.filter(check_by_person=True)),
        # Also listed: the ones still being checked automatically, so this page agrees with the run page.
        "automatic": paginate(request, uncertain.filter(check_by_person=False), param="automatic_page"),
    })


@require_POST
@portal_view()
def document_answer(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=True)
    in_yuki = request.POST.get("answer") == "in_yuki"
    answered_run = entry.last_run_id
    if not entry.check_by_person:
        messages.warning(request, _("This document is still being checked automatically; answer only when asked."))
    elif reconcile.answer(entry.pk, in_yuki=in_yuki, user=request.user):
        if not in_yuki or ledger.take_up_pending(entry.pk, None):
            with transaction.atomic():
                tasks.retry_failed(entry.administration, user=request.user, states=(EntryState.NEW,))
        runs.recount(answered_run)
        messages.success(request, _("Thank you: %(title)s is %(what)s.") % {
            "title": entry.title, "what": _("marked as booked") if in_yuki else _("being booked again")})
    else:
        messages.warning(request, _("This document no longer needs a check."))
    return redirect("portal:document", pk=entry.pk)


@require_POST
@portal_view()
def document_resend(request, pk):
    """Send one failed (or budget-waiting) document again, from its own page."""
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=True)
    if busy := _already_running(request, entry.administration):
        return busy
    with transaction.atomic():
        run = tasks.resend_document(entry, user=request.user)
    if run is None:
        messages.warning(request, _("Only a document that failed or waits for Yuki's budget is sent again; "
                                    "this one is %(state)s.") % {"state": entry.get_state_display().lower()})
        return redirect("portal:document", pk=entry.pk)
    messages.success(request, _("%(title)s is sent again.") % {"title": entry.title})
    return redirect("portal:run", pk=run.pk)


class ImportForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=gettext_lazy("Leave empty for the current import window; choose an earlier "
                                                   "month to import that month (backfill)."))
    dry_run = forms.BooleanField(label=gettext_lazy("Dry run: show what would be booked, book nothing"),
                                 required=False)

    def clean_month(self):
        value = self.cleaned_data["month"]
        return parse_month(value) if value else None


class BulkImportForm(ImportForm):
    """Import now for several administrations of one domain (the domain page's check boxes)."""

    administration = forms.Field(required=True, widget=forms.MultipleHiddenInput,
                                 error_messages={"required": gettext_lazy("Select at least one administration.")})

    def __init__(self, *args, domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain = domain

    def clean_administration(self):
        ids = {parse_id(value) for value in self.cleaned_data["administration"]}
        chosen = list(self.domain.administrations.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise forms.ValidationError(_("Select administrations of this domain only."))
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
    tasks.enqueue(run)
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
    form = BulkImportForm(request.POST, domain=domain)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:domain", pk=domain.pk)
    chosen = form.cleaned_data["administration"]
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
        run = tasks.retry_failed(administration, user=request.user)
    if run is None:
        messages.info(request, _("There are no failed documents to retry."))
        return redirect("portal:administration", pk=pk)
    return redirect("portal:run", pk=run.pk)


class AnnualDocumentsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year < earliest_month().year:
            raise forms.ValidationError(_("Choose a year from %(earliest)s on: payroll documents are kept "
                                          "%(years)s years.") % {"earliest": earliest_month().year,
                                                                 "years": RETENTION_YEARS})
        if year >= timezone.localdate().year + 1:
            raise forms.ValidationError(_("Annual documents exist only for years that have ended or are running."))
        return year


def _ids(values) -> set[int]:
    """The valid record ids among posted values (anything else selects nothing)."""
    ids = set()
    for value in values:
        try:
            ids.add(parse_id(value))
        except forms.ValidationError:
            pass
    return ids


@portal_view()
def annual_documents(request):
    """The bulk action for annual documents (a source that offers them says so): select the
    administrations whose source offers them and fetch their annual documents for a year."""
    offering = registry.offering(DocumentKind.ANNUAL_DOCUMENT)
    # Each source's table reads its link of every row (the company): loaded with the rows, not one query each.
    relations = sorted({field for source in offering for field in source.administration_relations})
    editable = Administration.objects.filter(
        source__in=keys_offering(DocumentKind.ANNUAL_DOCUMENT),
        domain__in=permissions.editable_domains(request.user)).select_related("domain", *relations).order_by(
        "source", "domain__name", "name", "pk")
    form = AnnualDocumentsForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        chosen = list(editable.filter(pk__in=_ids(request.POST.getlist("administration"))))
        if not chosen:
            messages.error(request, _("Select at least one administration."))
        else:
            plan = {DocumentKind.ANNUAL_DOCUMENT: (Period.whole_year(form.cleaned_data["year"]),)}
            with transaction.atomic():
                for administration in chosen:
                    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan, user=request.user,
                                          category="annual")
                    tasks.enqueue(run)
            messages.success(request, ngettext(
                "Fetching the annual documents of %(year)s for %(n)s administration.",
                "Fetching the annual documents of %(year)s for %(n)s administrations.", len(chosen)) % {
                "year": form.cleaned_data["year"], "n": len(chosen)})
            return redirect("portal:runs")
    page = paginate(request, editable)
    # Each source's administrations on this page (ordered by source: a source's rows stay together).
    offers = [{"source": source, "administrations": [a for a in page if a.source == source.key]}
              for source in offering]
    return render(request, "portal/annual_documents.html", {
        "form": form, "administrations": page, "page": page, "offers": offers,
        "offered_by": get_text_list([offer["source"].name for offer in offers], _("and"))})
