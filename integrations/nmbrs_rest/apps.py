from django.apps import AppConfig
from django.db.models.signals import post_save


class NmbrsRestConfig(AppConfig):
    name = "integrations.nmbrs_rest"
    label = "nmbrs_rest"  # its migrations and tables are named by it: never change it
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_save.connect(_link_new_administration, sender="portal.Administration",
                          dispatch_uid="nmbrs-rest-link-new-administration")


def _link_new_administration(sender, instance, created, raw=False, **kwargs):
    from integrations.nmbrs_rest.models import NmbrsRestLink

    if created and not raw:
        NmbrsRestLink.objects.get_or_create(administration=instance)
