from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import auditing, permissions
from portal.forms.settings import ImportSettingsForm
from portal.models import PortalSettings
from portal.sources import registry
from portal.views.access import portal_view, receives_secrets


@receives_secrets
@portal_view(permissions.can_manage_portal_settings)
def portal_settings(request):
    portal = PortalSettings.load()
    section = request.POST.get("section") if request.method == "POST" else None
    # Snapshots before validation: a ModelForm's is_valid() already writes the input onto the instance.
    import_before = auditing.snapshot(portal.import_settings)
    import_form = ImportSettingsForm(request.POST if section == "import" else None,
                                     instance=portal.import_settings, prefix="import")

    if section == "import" and import_form.is_valid():
        with transaction.atomic():
            auditing.save_audited(request.user, import_form.instance, import_before,
                                  label=_("Portal import settings"), parts=import_form.option_rows())
        messages.success(request, _("The portal's import settings are saved."))
        if warning := import_form.instance.window_warning():
            messages.warning(request, warning)
        return redirect("portal:settings")

    context = {"portal": portal, "import_form": import_form, "source_cards": []}
    for source in registry.all_sources():  # each source's own card: a connection, default credentials
        if not source.portal_settings_template:
            continue
        form = source.portal_settings_form(portal, request.POST if section == source.key else None)
        if section == source.key and form is not None and form.is_valid():
            messages.success(request, source.save_portal_settings(request.user, portal, form))
            return redirect("portal:settings")
        context["source_cards"].append({"template": source.portal_settings_template, "form": form})
        context.update(source.portal_settings_context(portal), **{f"{source.key}_form": form})
    return render(request, "portal/portal_settings.html", context)
