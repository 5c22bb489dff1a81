"""Logging in: django-axes' throttling, the lock per account, the second step's issuer name."""

from datetime import timedelta

from payrollsync.setting_errors import SettingRefused, gettext_noop
from payrollsync.settings.environment import env

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
for _address in TRUSTED_PROXY_ADDRESSES:  # a bad value stops the start, not the first login
    try:
        from portal.login_throttle import trusted_proxy_networks

        trusted_proxy_networks((_address,))
    except ValueError:
        raise SettingRefused(gettext_noop("TRUSTED_PROXY_ADDRESSES holds “%(value)s”, which is not an IP address "
                                          "or network."), value=_address) from None
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
