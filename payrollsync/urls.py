from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.metrics import metrics
from portal.sources import registry
from portal.views import auth, two_factor
from portal.views.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("metrics/", metrics, name="metrics"),
    # Only these of django.contrib.auth.urls: no password reset by e-mail (portal/views/auth.py says why).
    path("login/", auth.LoginView.as_view(), name="login"),
    # The second step after the password (portal/two_factor.py).
    path("login/code/", two_factor.login_code, name="login_code"),
    path("login/setup/", two_factor.login_setup, name="login_setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("django-admin/", admin.site.urls),
    # Each payroll source's own pages (connect, link, test), under /<key>/.
    *[path(f"{source.key}/", include(source.urls)) for source in registry.all_sources() if source.urls],
    path("", include("portal.urls")),
]

if settings.SANDBOX_ENABLED:
    # Fake vendor logins live here: never mounted unless the sandbox switch is on.
    urlpatterns += [path("sandbox/", include("sandbox.urls"))]
