"""The employers a domain's administrations may reach through the portal's shared vendor access.

Only a portal administrator assigns or removes them; each change is in the audit log. The rule that
uses them is portal/sources/shared_access.py.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import auditing, permissions
from portal.forms.employers import AssignEmployerForm, shared_sources
from portal.models import AssignedEmployer, PortalSettings
from portal.models.audit import AuditAction
from portal.paging import paginate
from portal.sentences import fill
from portal.views.access import domain_for, portal_view


def _label(employer: AssignedEmployer) -> str:
    # The same words as portal.sources.shared_access.assign_for_administrator's entries.
    return _("%(employer)s for domain %(domain)s") % {"employer": employer, "domain": employer.domain.name}


@portal_view(permissions.can_manage_domains)
def domain_employers(request, pk):
    domain = domain_for(request.user, pk, edit=True)
    form = AssignEmployerForm(request.POST or None, domain=domain)
    if request.method == "POST" and form.is_valid():
        employer = form.employer()
        with transaction.atomic():
            employer.save()
            auditing.record(request.user, AuditAction.CREATED, employer, auditing.diff(employer, None),
                            label=_label(employer))
        messages.success(request, fill(_("%(employer)s is assigned to %(domain)s."), {"employer": employer,
                                                                                "domain": domain.name}))
        return _back(request, domain)
    return render(request, "portal/domain_employers.html", {
        "domain": domain, "form": form,
        "employers": paginate(request, domain.assigned_employers.order_by("source", "name", "number", "pk")),
        "listed": _listed(request, domain) if request.method == "GET" else [],
    })


def _back(request, domain):
    """To the employers page as it was (the pages of its lists): the forms post to it with its parameters."""
    url = reverse("portal:domain-employers", args=[domain.pk])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


def _listed(request, domain) -> list[dict]:
    """Per source that can list them: a page of the employers its shared access sees (each source's list
    pages on its own, `<source>_page`), and where each of them is assigned."""
    portal = PortalSettings.load()
    listed = []
    for source in shared_sources():
        employers, error = source.shared_employers(portal)
        if not employers and not error:
            continue
        page = paginate(request, employers, param=f"{source.key}_page")
        # Only the page's employers are looked up (one query), not every employer of the source.
        where = {(e.number, e.wage_tax_number): e.domain for e in AssignedEmployer.objects.filter(
            source=source.key, number__in={employer.number for employer, _name in page}).select_related("domain")}
        listed.append({"source": source, "error": error, "page": page, "rows": [
            {"employer": employer, "name": name, "domain": where.get(tuple(employer))} for employer, name in page]})
    return listed


@require_POST
@portal_view(permissions.can_manage_domains)
def domain_employer_remove(request, pk, employer_pk):
    domain = domain_for(request.user, pk, edit=True)
    employer = get_object_or_404(AssignedEmployer, pk=employer_pk, domain=domain)
    label = _label(employer)
    with transaction.atomic():
        auditing.record(request.user, AuditAction.DELETED, employer, label=label)
        employer.delete()
    messages.success(request, fill(_("%(employer)s is no longer assigned to %(domain)s."), {"employer": employer,
                                                                                      "domain": domain.name}))
    return _back(request, domain)
