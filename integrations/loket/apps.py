from django.apps import AppConfig
from django.db.models.signals import post_save


class LoketConfig(AppConfig):
    name = "integrations.loket"
    label = "loket"  # its migrations and tables are named by it: never change it
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every administration has its link, as it had the columns before (the defaults until it is set).
        post_save.connect(_link_new_administration, sender="portal.Administration",
                          dispatch_uid="loket-link-new-administration")


def _link_new_administration(sender, instance, created, raw=False, **kwargs):
    from integrations.loket.models import LoketLink

    if created and not raw:
        LoketLink.objects.get_or_create(administration=instance)
