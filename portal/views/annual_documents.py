"""The annual documents page: fetch a year's annual documents for the administrations whose source offers
them (portal.sources.registry.offering)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from connectors.documents import DocumentKind, Period
from portal import permissions, tasks
from portal.imports import runs
from portal.models import Administration, RunTrigger
from portal.paging import paginate
from portal.sources import registry
from portal.sources.registry import keys_offering
from portal.validators import RETENTION_YEARS, earliest_month, parse_id
from portal.views.access import portal_view


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
    editable = Administration.objects.filter(
        source__in=keys_offering(DocumentKind.ANNUAL_DOCUMENT),
        domain__in=permissions.editable_domains(request.user)).select_related(
        "domain", *registry.administration_relations()).order_by(
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
              for source in registry.offering(DocumentKind.ANNUAL_DOCUMENT)]
    return render(request, "portal/annual_documents.html", {
        "form": form, "administrations": page, "page": page, "offers": offers,
        "offered_by": get_text_list([offer["source"].name for offer in offers], _("and"))})
