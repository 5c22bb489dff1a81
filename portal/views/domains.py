from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import auditing, permissions
from portal.forms.settings import DomainForm
from portal.models import Domain, PortalSettings
from portal.paging import paginate
from portal.sources import registry
from portal.views.access import domain_for, portal_view
from portal.views.dashboard import administration_rows, with_settings
from portal.views.imports import ImportForm


@portal_view(permissions.can_manage_domains)
def domain_create(request):
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            auditing.save_audited(request.user, form.instance, None)
        messages.success(request, _("Domain %(name)s is added.") % {"name": form.instance.name})
        return redirect("portal:domain", pk=form.instance.pk)
    return render(request, "portal/domain_form.html", {"form": form, "domain": None})


@portal_view(permissions.can_manage_domains)
def domain_edit(request, pk):
    domain = domain_for(request.user, pk, edit=True)
    before = auditing.snapshot(domain)
    form = DomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            auditing.save_audited(request.user, form.instance, before)
        messages.success(request, _("Domain %(name)s is saved.") % {"name": domain.name})
        return redirect("portal:domain", pk=domain.pk)
    return render(request, "portal/domain_form.html", {"form": form, "domain": domain})


@portal_view()
def domain_detail(request, pk):
    domain: Domain = domain_for(request.user, pk, edit=False)
    portal = PortalSettings.load()
    page = paginate(request, with_settings(domain.administrations.order_by("name", "pk"), last_run=False))
    rows = administration_rows(page, portal)
    sources_used = set(domain.administrations.order_by().values_list("source", flat=True).distinct())
    return render(request, "portal/domain_detail.html", {
        "domain": domain,
        "rows": rows,
        "page": page,
        # Buttons of the sources these administrations use (e.g. linking companies by number).
        "source_actions": [source.domain_actions_template for source in registry.all_sources()
                           if source.domain_actions_template and source.key in sources_used],
        "can_edit": permissions.can_edit_domain(request.user, domain),
        "can_manage_domains": permissions.can_manage_domains(request.user),
        "import_form": ImportForm(),
    })
