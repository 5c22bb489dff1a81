"""The import actions: import now (an administration, or several of a domain), a chosen month (backfill),
a dry run, and retry what failed. The engine makes the run (portal.imports.runs), a worker runs it."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal import tasks
from portal.imports import runs
from portal.models import Administration, ImportRun
from portal.validators import parse_id, parse_month
from portal.views.access import administration_for, domain_for, portal_view


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


def start_import(administration: Administration, user, month: date | None, dry_run: bool) -> ImportRun:
    """The run the button asks for, handed to a worker once the request's transaction commits."""
    run = runs.create_import_run(administration, month=month, dry_run=dry_run, user=user)
    tasks.enqueue(run)
    return run


def already_running(request, administration):
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
    if not request.POST.get("dry_run") and (busy := already_running(request, administration)):
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
    if busy := already_running(request, administration):
        return busy
    with transaction.atomic():
        run = tasks.retry_failed(administration, user=request.user)
    if run is None:
        messages.info(request, _("There are no failed documents to retry."))
        return redirect("portal:administration", pk=pk)
    return redirect("portal:run", pk=run.pk)
