"""Production hardening: HTTPS, cookies, HSTS, the Content-Security-Policy (manage.py check --deploy is clean)."""

from payrollsync.settings.environment import DEBUG, SANDBOX_ENABLED, env

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
