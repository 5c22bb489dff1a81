"""Settings, all from the environment (django-environ). The README has a table of every variable."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.sources.registry import environment_settings, source_apps

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists() and not env.bool("PAYROLLSYNC_IGNORE_DOTENV", default=False):
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The sandboxes fake vendor logins: they are mounted only when this is on, never in production.
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
# Fernet keys for secrets at rest, newest first: the first encrypts, all decrypt (rotation).
SECRET_ENCRYPTION_KEYS = env.list("SECRET_ENCRYPTION_KEYS", default=[])
_DEV_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1wcm9kdWN0aW9uISE="

if DEBUG:
    # Only a development run (DEBUG on) may use the built-in keys. The sandbox switch alone does not:
    # a sandbox reachable by others with DEBUG off is a deployment, and gets the production checks.
    SECRET_ENCRYPTION_KEYS = SECRET_ENCRYPTION_KEYS or [_DEV_ENCRYPTION_KEY]
else:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")
    if not SECRET_ENCRYPTION_KEYS or _DEV_ENCRYPTION_KEY in SECRET_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "Set SECRET_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first). Make one with: "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    if "change-me" in SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY is still the placeholder from .env.example: set a random value.")

# A key that is not a Fernet key would only fail at the first secret saved: refuse it at start.
for _key in SECRET_ENCRYPTION_KEYS:
    try:
        from cryptography.fernet import Fernet

        Fernet(_key.encode())
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"SECRET_ENCRYPTION_KEYS holds a value that is not a Fernet key ({_exc}). Make one with: "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from _exc

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
    # worker reuses its connection across tasks (CELERY_DB_REUSE_MAX below); opening a PostgreSQL
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

# --- Login throttling: django-axes (portal/login_throttle.py says what it counts by) ---------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked login before any password check
    "portal.account_lock.AccountLockBackend",  # then the lock per account across addresses (never logs in)
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins per (username, client address) before that pair is refused for LOGIN_LOCKOUT_SECONDS.
AXES_FAILURE_LIMIT = env.int("LOGIN_MAX_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("LOGIN_LOCKOUT_SECONDS", default=900))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "portal.login_throttle.username_key"
AXES_CLIENT_IP_CALLABLE = "portal.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "portal.views.auth.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept: the failures are what the lock needs
AXES_VERBOSE = False  # no banner from every process at start-up (make run, commands, workers)
# The addresses (or networks, CIDR) of our own reverse proxies: X-Forwarded-For is read only on a
# connection from one of them (portal/login_throttle.py). Empty: clients connect directly, the header is ignored.
TRUSTED_PROXY_ADDRESSES = env.list("TRUSTED_PROXY_ADDRESSES", default=[])
try:
    from portal.login_throttle import trusted_proxy_networks

    trusted_proxy_networks(tuple(TRUSTED_PROXY_ADDRESSES))  # a bad value stops the start, not the first login
except ValueError as _exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_ADDRESSES: {_exc}") from _exc
# Before TRUSTED_PROXY_ADDRESSES, a number of proxies. No longer read for the address; portal/checks.py
# refuses it set without TRUSTED_PROXY_ADDRESSES (it used to trust whoever connected).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# Besides the lock per (username, address): failures for one account from any addresses within the window
# lock the account for a while, and its owner and the portal administrators are e-mailed (portal/account_lock.py).
LOGIN_ACCOUNT_MAX_FAILURES = env.int("LOGIN_ACCOUNT_MAX_FAILURES", default=20)
LOGIN_ACCOUNT_WINDOW_SECONDS = env.int("LOGIN_ACCOUNT_WINDOW_SECONDS", default=24 * 3600)
LOGIN_ACCOUNT_LOCKOUT_SECONDS = env.int("LOGIN_ACCOUNT_LOCKOUT_SECONDS", default=3600)

# The name authenticator apps show next to the portal's codes.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Payroll sync portal")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates and amounts as Dutch bookkeepers write them (30-11-2026, 1.234,56): payrollsync/formats/.
# No USE_THOUSAND_SEPARATOR: it would also group years and IDs ("2.025"); amounts ask for it (floatformat:"2g").
FORMAT_MODULE_PATH = ["payrollsync.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
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

# --- Celery (paperless-ngx style: CELERY_ namespace, static beat schedule with expiries) ---------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The one-command run: an embedded broker in a folder, no Redis needed.
    _broker_dir = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
    # Beat's schedule file beside its broker folder (var/ for `make run`): two local runs with their own
    # folders (the tests' launchers) never share, and so never corrupt, one schedule file.
    CELERY_BEAT_SCHEDULE_FILENAME = str(_broker_dir.parent / "celerybeat-schedule")
else:
    # Redis redelivers an unacknowledged task after this long: keep it above the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# A pool process is replaced once its peak memory has reached this much (KiB, ru_maxrss, checked after each
# task), not after a count of tasks: a night's 4,000 tasks no longer replace processes (and open new
# database connections) in a steady state, and a process that does grow is still replaced. The bench
# reports the largest process's peak over the whole night, so "flat memory" is measured, not assumed.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=None)
# Celery's Django fixup closes the database connection around every task unless this is set (it ignores
# CONN_MAX_AGE); with it, a worker process keeps its connection for this many tasks, and
# payrollsync.celery applies Django's own rules around each task (close_old_connections: CONN_MAX_AGE,
# a connection with errors, CONN_HEALTH_CHECKS).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_IGNORE_RESULT = True

# --- Celery: losing the broker (README "Broker reconnection": each choice and why) -----------------
# A worker that starts while Redis is down, or loses it later, keeps trying to reconnect instead of
# exiting: a restart (docker-compose, make run's launcher) would do nothing better, and meanwhile the
# health check says "broker" is down. Waits 2, 4, ... 30 s between tries (kombu's back-off), forever.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the connection drops finishes (its outcome is in PostgreSQL, not in Redis); its
# message may be delivered again, and the ledger's conditional claim makes that second push do nothing.
# Cancelling it instead would cut pushes off mid-call to Yuki and make uncertain documents of them.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# kombu's Redis transport, with its crash on closing a lost connection turned into a connection error
# (payrollsync/broker.py): otherwise the worker exits after a Redis restart.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "payrollsync.broker:RedisTransport"
elif CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker, publishing each message atomically (payrollsync/broker.py).
    CELERY_BROKER_TRANSPORT = "payrollsync.broker:FilesystemTransport"
# Pool processes get this long to start (Celery's default is 4 s): on a busy host a slow start would
# otherwise stop the worker with "Could not start worker processes".
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env.float("CELERY_WORKER_PROC_ALIVE_TIMEOUT", default=30.0)
# Workers and beat keep LOGGING below (LOG_LEVEL, and the handler that feeds the vendor call metrics).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every entry expires before its next send, so a backed-up queue never runs stale copies.
    "enqueue-due-imports": {
        "task": "portal.tasks.enqueue_due_imports",
        "schedule": 600.0,
        "options": {"expires": 540.0},
    },
    "sweep": {
        "task": "portal.tasks.sweep",
        "schedule": 120.0,
        "options": {"expires": 110.0},
    },
    "heartbeat": {
        "task": "portal.tasks.heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55.0},
        "kwargs": {"source": "beat"},
    },
}

# --- Health and metrics (README: "Health and metrics") --------------------------------------------
# Bearer token that shows every health check (GET /health/); without it only up/down.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")
# Prometheus metrics at /metrics/ (portal/metrics.py), for callers sending `Authorization: Bearer METRICS_TOKEN`.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=False)
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_ENABLED:
    if len(METRICS_TOKEN) < 20:
        # Dutch first: a person starting the portal (`make run`) reads this (manage.py shows it without traceback).
        raise ImproperlyConfigured(
            f"METRICS_ENABLED staat aan, maar METRICS_TOKEN is te kort ({len(METRICS_TOKEN)} tekens). Kies een "
            "willekeurige waarde van ten minste 20 tekens, bijvoorbeeld met: "
            "python -c 'import secrets; print(secrets.token_urlsafe(24))'")
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = ["django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE,
                  "django_prometheus.middleware.PrometheusAfterMiddleware"]

# --- Production hardening (manage.py check --deploy is clean with DEBUG off) ---------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not SANDBOX_ENABLED)
    # Load balancers and docker-compose probe /health/ over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not SANDBOX_ENABLED)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if SANDBOX_ENABLED else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): only our own scripts, styles and images; no inline script or
# style (portal.js holds every handler), no plugins, no framing. No form-action: a source's "connect"
# button posts to us and is redirected on to the source's login page. The simulated vendors under /sandbox/ serve
# their own pages (sandbox mode only).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/sandbox/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Passwords and secrets a view received stay hidden in error reports, with DEBUG on as well.
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.error_reports.SecretsHiddenFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "level": env.str("LOG_LEVEL", default="INFO")},
        # Every vendor call's record (also the DEBUG ones of connectors/) feeds the metrics.
        "vendor_metrics": {"class": "portal.metrics.VendorCallMetrics"},
    },
    "root": {"handlers": ["console", "vendor_metrics"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"zeep": {"level": "WARNING"}, "httpx2": {"level": "WARNING"},
                "connectors": {"level": "DEBUG"}, "yuki_client": {"level": "DEBUG"},
                # A failing check is in /health/'s answer; its traceback on every probe is noise.
                "health_check": {"level": "ERROR"},
                # A lockout is what people need to see (WARNING); each attempt's INFO line is noise.
                "axes": {"level": "WARNING"}},
}
