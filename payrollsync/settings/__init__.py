"""Settings, all from the environment (django-environ). The README has a table of every variable.

The entry point (DJANGO_SETTINGS_MODULE=payrollsync.settings); its parts, by meaning, in this folder. A
wrong value stops the start with a sentence in the portal's language (payrollsync/setting_errors.py).
"""

from django.utils.translation import gettext_lazy as _

from portal.sources.registry import environment_settings, source_apps

from .environment import *  # noqa: F403 - BASE_DIR, env, DEBUG, SANDBOX_ENABLED, TIME_ZONE
from .environment import BASE_DIR, DEBUG, SANDBOX_ENABLED, env
from .keys import *  # noqa: F403 - SECRET_KEY, SECRET_ENCRYPTION_KEYS

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public address of the portal, used for the OAuth redirect URLs registered at the payroll sources.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "health_check",
    "django.contrib.staticfiles",
    "axes",
    # The second login step: TOTP apps and recovery codes (portal/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    *source_apps(),  # each payroll source's folder (integrations/<source>/): its templates and pages
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second login step.
    "django_otp.middleware.OTPMiddleware",
    # A session that needs the second step and did not pass it is logged out (portal/two_factor.py).
    "portal.middleware.SecondFactorMiddleware",
    # After authentication: the language is the person's choice (portal.languages), not the browser's.
    "portal.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the language and the messages: it renders a page of the portal.
    "portal.middleware.MethodNotAllowedPage",
    # Also with DEBUG on: the portal's own 404 page in the person's language.
    "portal.middleware.NotFoundPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "payrollsync.urls"
# A form sent without a valid CSRF token gets the portal's own page with a way back (Django's is technical).
CSRF_FAILURE_VIEW = "portal.views.expired_form.csrf_failure"
WSGI_APPLICATION = "payrollsync.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The one-command run shares one file between the web server and the worker's processes. WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock when a transaction begins, so a
    # transaction that read first never fails on upgrading its lock ("database is locked" without
    # waiting); the timeout is how long a writer waits for the lock (Django 5.1+, docs/ref/databases).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
else:
    # Persistent connections (Django's CONN_MAX_AGE) with Django's health check: a connection is checked
    # with a cheap query before its first use in each request or task, and replaced when it broke. A
    # worker reuses its connection across tasks (CELERY_DB_REUSE_MAX, celery.py here); opening a PostgreSQL
    # connection per document cost more than the document's own statements.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"
# The login is signed out after this long (default: one working day), and on closing the browser.
SESSION_COOKIE_AGE = env.int("SESSION_LIFETIME_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

from .login import *  # noqa: E402,F403 - authentication backends, django-axes, the account lock, OTP

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates and amounts as Dutch bookkeepers write them (30-11-2026, 1.234,56): payrollsync/formats/.
# No USE_THOUSAND_SEPARATOR: it would also group years and IDs ("2.025"); amounts ask for it (floatformat:"2g").
FORMAT_MODULE_PATH = ["payrollsync.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="payrollsync@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Vendors -----------------------------------------------------------------------------------
YUKI_REGION = env.str("YUKI_REGION", default="nl")  # nl -> api.yukiworks.nl, be -> api.yukiworks.be
YUKI_BASE_URL = env.str("YUKI_BASE_URL", default="")  # overrides the region (e.g. the sandbox)
# Our share of Yuki's 1000 calls/day/domain; the rest is left for the firm's other apps.
YUKI_DAILY_BUDGET = env.int("YUKI_DAILY_BUDGET", default=800)
YUKI_TIMEOUT = env.float("YUKI_TIMEOUT", default=60.0)  # seconds per Yuki call
YUKI_WSDL_CACHE_DIR = env.str("YUKI_WSDL_CACHE_DIR", default=str(BASE_DIR / "var" / "wsdl-cache"))

# Each payroll source's own variables (e.g. its environment and OAuth client), read by the settings
# module in its folder, integrations/<source>/settings.py: the README's table lists them.
vars().update(environment_settings(env, sandbox_enabled=SANDBOX_ENABLED))

# --- Imports ---------------------------------------------------------------------------------
# The nightly import (docs/vendors/loket.md), local time; a missed night is caught up within this many hours.
IMPORT_NIGHTLY_TIME = env.str("IMPORT_NIGHTLY_TIME", default="02:30")
IMPORT_CATCH_UP_HOURS = env.int("IMPORT_CATCH_UP_HOURS", default=30)
# A push holds its document this long; a longer silence means its worker died (then: a check, no resend).
IMPORT_PUSH_LEASE_SECONDS = env.int("IMPORT_PUSH_LEASE_SECONDS", default=600)
# Celery kills a push (or an automatic check) after this long; the lease must be longer (portal/checks.py).
IMPORT_PUSH_TIME_LIMIT_SECONDS = env.int("IMPORT_PUSH_TIME_LIMIT_SECONDS", default=300)
# Pushes per Celery task (portal/tasks.py): a task costs the worker more CPU than a push; smaller batches
# spread one administration's documents over more workers.
IMPORT_PUSH_BATCH_SIZE = env.int("IMPORT_PUSH_BATCH_SIZE", default=10)
IMPORT_RETRY_SECONDS = env.int("IMPORT_RETRY_SECONDS", default=30)  # first retry of an unreachable Yuki
# A run waits this long between tries while another import of the same administration runs.
IMPORT_BUSY_RETRY_SECONDS = env.int("IMPORT_BUSY_RETRY_SECONDS", default=60)
# An upload is called absent from Yuki only this long after it was sent: a request that timed out on
# our side may still be processed by Yuki (keep it above YUKI_TIMEOUT plus Yuki's own processing time).
IMPORT_RECONCILE_DELAY_SECONDS = env.int("IMPORT_RECONCILE_DELAY_SECONDS", default=300)
# A queued run or a document of a running run untouched this long was lost by the broker: send it again.
IMPORT_REDISPATCH_AFTER_SECONDS = env.int("IMPORT_REDISPATCH_AFTER_SECONDS", default=900)

from .celery import *  # noqa: E402,F403 - the broker, the worker, beat
from .observability import *  # noqa: E402,F403 - health, metrics, logging
from .observability import METRICS_ENABLED  # noqa: E402

if METRICS_ENABLED:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = ["django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE,
                  "django_prometheus.middleware.PrometheusAfterMiddleware"]

from .hardening import *  # noqa: E402,F403 - HTTPS, cookies, HSTS, Content-Security-Policy
