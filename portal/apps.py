from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Payroll sync portal")

    def ready(self):
        from portal import task_language  # noqa: F401 - connects the Celery signals
