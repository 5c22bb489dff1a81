from django.conf import settings
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from portal import permissions
from portal.sources import registry
from portal.version import portal_version


def portal(request):
    user = request.user
    return {
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        # The sandbox banner: what is simulated (the sources with a simulator under sandbox/, and Yuki).
        "sandbox_simulated": get_text_list([*registry.simulated(), "Yuki"], _("and")) if settings.SANDBOX_ENABLED else "",
        "portal_version": portal_version(),
        # Stored texts (run results, document histories, notices) are written in the portal's language
        # by the worker; pages mark them with it (lang=...), whatever language the reader chose.
        "data_language": settings.LANGUAGE_CODE,
        "nav": {
            "portal_settings": permissions.can_manage_portal_settings(user),
            "users": permissions.can_manage_users(user),
            "audit": permissions.can_view_audit_log(user),
            "domains": permissions.can_manage_domains(user),
        },
    }
