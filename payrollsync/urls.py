from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.metrics import metrics
from portal.sources import registry
from portal.views.auth import ThrottledLoginView
from portal.views.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("metrics/", metrics, name="metrics"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    # Each payroll source's own pages (connect, link, test), under /<key>/.
    *[path(f"{source.key}/", include(source.urls)) for source in registry.all_sources() if source.urls],
    path("", include("portal.urls")),
]

if settings.SANDBOX_ENABLED:
    # Fake vendor logins live here: never mounted unless the sandbox switch is on.
    urlpatterns += [path("sandbox/", include("sandbox.urls"))]
