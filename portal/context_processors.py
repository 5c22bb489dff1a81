from django.conf import settings

from portal import permissions


def portal(request):
    user = request.user
    return {
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        "nav": {
            "portal_settings": permissions.can_manage_portal_settings(user),
            "users": permissions.can_manage_users(user),
            "audit": permissions.can_view_audit_log(user),
            "domains": permissions.can_manage_domains(user),
        },
    }
