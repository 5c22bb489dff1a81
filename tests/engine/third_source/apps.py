from django.apps import AppConfig


class PaperclipConfig(AppConfig):
    """Installed by the test settings only (payrollsync/settings_test.py), so its table exists in the test
    database; registered as a source by the tests that use it (registry.register)."""

    name = "tests.engine.third_source"
    label = "paperclip"
    default_auto_field = "django.db.models.BigAutoField"
