from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Payroll sync portal")

    def ready(self):
        # connectors/ stay Django-free: their texts for people go through the portal's catalog.
        from django.utils.formats import date_format
        from django.utils.translation import gettext, ngettext

        from connectors import texts
        from portal import account_lock, checks, task_language  # noqa: F401 - system checks; Celery and login signals
        from portal.templatetags import portal_format

        texts.install(gettext, ngettext, lambda value: date_format(value, "SHORT_DATE_FORMAT"), portal_format.period)
