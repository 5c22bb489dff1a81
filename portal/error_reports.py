"""What an error report (the DEBUG page, the e-mail to ADMINS) may show of a request.

Django hides the POST parameters and variables marked sensitive (portal.views.access.receives_secrets)
only while DEBUG is off. The portal's DEBUG run (`make run`, a sandbox shown to colleagues) takes real
passwords and access keys too, and the page is shown to whoever caused the error: hidden always.
"""

from django.views.debug import SafeExceptionReporterFilter


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True
