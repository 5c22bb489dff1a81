"""The run log and a run's page with live progress (documents: portal.views.documents; the import
actions: portal.views.imports)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Lookup, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from portal import permissions
from portal.imports import summaries
from portal.models import (
    EntryState,
    ImportRun,
    LedgerEntry,
    LedgerEvent,
    RunStatus,
    RunTrigger,
)
from portal.paging import COUNT_CAP, paginate
from portal.sources.registry import source_choices
from portal.validators import IdField
from portal.views.access import check_domain, portal_view

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
    # A running run's totals come from its documents, as on the run page (summaries.progress), so both show
    # the same numbers: for all running runs of the page in one query.
    running = [run for run in page if run.status == RunStatus.RUNNING and not run.dry_run]
    live = summaries.progress_of([run.pk for run in running]) if running else {}
    for run in running:
        by_state = live.get(run.pk, {})
        run.booked, run.failed = by_state.get(EntryState.BOOKED, 0), summaries.failed_of(by_state)
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
    live = summaries.progress(run) if run.status == RunStatus.RUNNING else {}
    if live:
        live["pending"] = live.get(EntryState.NEW, 0) + live.get(EntryState.PUSHING, 0)
        live["failed"] = summaries.failed_of(live)  # as the run log
    return render(request, template, {
        "run": run, "entries": paginate(request, entries), "live": live,
        # A dry run's preview (stored on the run, in memory) pages on its own parameter, beside the documents.
        "preview": paginate(request, run.dry_run_preview, per_page=PREVIEW_PER_PAGE, param="preview_page")
        if run.dry_run and run.dry_run_preview else None,
        "can_edit": permissions.can_edit_domain(request.user, run.administration.domain),
    })


