#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payrollsync.settings")
    if sys.argv[1:] == ["--version"]:
        # The portal's version (Django's own would say nothing about what is installed here).
        import django

        from portal.version import portal_version

        print(f"payrollsync {portal_version()} (Django {django.get_version()})")
        sys.exit(0)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from payrollsync.setting_errors import STARTS_NOT, translated

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads payrollsync/settings/, which refuses a wrong setting
    except ImproperlyConfigured as exc:
        # A setting a person must correct: what to do, in the portal's language, not a traceback.
        sys.exit(translated(STARTS_NOT) % {"reason": exc})
    execute_from_command_line(sys.argv)
