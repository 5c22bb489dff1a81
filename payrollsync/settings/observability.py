"""Health checks, Prometheus metrics and logging (README: "Health and metrics")."""

from payrollsync.setting_errors import SettingRefused, gettext_noop
from payrollsync.settings.environment import env

# Bearer token that shows every health check (GET /health/); without it only up/down.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")
# Prometheus metrics at /metrics/ (portal/metrics.py), for callers sending `Authorization: Bearer METRICS_TOKEN`.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=False)
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_ENABLED and len(METRICS_TOKEN) < 20:
    raise SettingRefused(gettext_noop("METRICS_ENABLED is on, but METRICS_TOKEN is too short: choose a random value of "
                                      "at least 20 characters, for example with: %(command)s"),
                         command="python -c 'import secrets; print(secrets.token_urlsafe(24))'")

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
