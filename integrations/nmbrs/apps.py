from django.apps import AppConfig
from django.db.models.signals import post_save


class NmbrsConfig(AppConfig):
    name = "integrations.nmbrs"
    label = "nmbrs"  # its migrations and tables are named by it: never change it
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every administration has its link and every import settings row its Nmbrs options, as they had
        # the columns before (the defaults until they are set).
        post_save.connect(_link_new_administration, sender="portal.Administration",
                          dispatch_uid="nmbrs-link-new-administration")
        post_save.connect(_options_for_new_import_settings, sender="portal.ImportSettings",
                          dispatch_uid="nmbrs-options-new-import-settings")


def _link_new_administration(sender, instance, created, raw=False, **kwargs):
    from integrations.nmbrs.models import NmbrsLink

    if created and not raw:
        NmbrsLink.objects.get_or_create(administration=instance)


def _options_for_new_import_settings(sender, instance, created, raw=False, **kwargs):
    from integrations.nmbrs.models import NmbrsImportOptions

    if created and not raw:
        NmbrsImportOptions.objects.get_or_create(import_settings=instance)
