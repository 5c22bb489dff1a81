from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from portal import auditing, permissions
from portal.forms.settings import ImportSettingsForm, NmbrsCredentialsForm
from portal.models import NmbrsCredentials, PortalSettings
from portal.views.access import portal_view


def loket_redirect_url() -> str:
    """The redirect URL to register at Loket (shown on the settings page, README explains)."""
    try:
        return settings.PORTAL_BASE_URL + reverse("loket:callback")
    except NoReverseMatch:
        return ""


@portal_view(permissions.can_manage_portal_settings)
def portal_settings(request):
    portal = PortalSettings.load()
    credentials = portal.nmbrs_credentials or NmbrsCredentials()
    section = request.POST.get("section") if request.method == "POST" else None
    # Snapshots before validation: a ModelForm's is_valid() already writes the input onto the instance.
    import_before = auditing.snapshot(portal.import_settings)
    nmbrs_before = auditing.snapshot(credentials) if credentials.pk else None
    import_form = ImportSettingsForm(request.POST if section == "import" else None,
                                     instance=portal.import_settings, prefix="import")
    nmbrs_form = NmbrsCredentialsForm(request.POST if section == "nmbrs" else None,
                                      instance=credentials, prefix="nmbrs")

    if section == "import" and import_form.is_valid():
        with transaction.atomic():
            auditing.save_audited(request.user, import_form.instance, import_before,
                                  label=_("Portal import settings"))
        messages.success(request, _("The portal's import settings are saved."))
        if warning := import_form.instance.window_warning():
            messages.warning(request, warning)
        return redirect("portal:settings")
    if section == "nmbrs" and nmbrs_form.is_valid():
        with transaction.atomic():
            auditing.save_audited(request.user, nmbrs_form.instance, nmbrs_before,
                                  label=_("Portal Nmbrs credentials"))
            if portal.nmbrs_credentials_id != nmbrs_form.instance.pk:
                portal.nmbrs_credentials = nmbrs_form.instance
                portal.save(update_fields=["nmbrs_credentials", "updated_at"])
        messages.success(request, _("The portal's Nmbrs credentials are saved."))
        return redirect("portal:settings")

    return render(request, "portal/portal_settings.html", {
        "portal": portal,
        "loket": portal.loket_connection,
        "loket_redirect_url": loket_redirect_url(),
        "loket_environment": settings.LOKET_ENVIRONMENT,
        "import_form": import_form,
        "nmbrs_form": nmbrs_form,
    })
