from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.views.auth import PersonalPasswordResetView, ThrottledLoginView

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("password_reset/", PersonalPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
    path("django-admin/", admin.site.urls),
    path("loket/", include("connectors.loket.urls")),
    path("nmbrs/", include("connectors.nmbrs.urls")),
    path("", include("portal.urls")),
]

if settings.SANDBOX_ENABLED:
    # Fake vendor logins live here: never mounted unless the sandbox switch is on.
    urlpatterns += [path("sandbox/", include("sandbox.urls"))]
