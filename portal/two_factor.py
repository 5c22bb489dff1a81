"""The second login step: a TOTP code from an authenticator app, or a recovery code (django-otp).

Who needs it: everyone with a confirmed authenticator app (anyone may set one up on the profile page),
and every portal administrator, who must set one up at the next login before reaching anything else.
The one exception is a local sandbox run (DEBUG and SANDBOX_ENABLED both on, `make run`): its demo
administrator has a published password anyway, and a second factor there protects nothing.

The password step does not log the person in: it remembers who passed it in the session (for
PENDING_SECONDS), and only the second step calls Django's login(). So django-axes' reset on a
successful login (AXES_RESET_ON_SUCCESS) never wipes the wrong codes, and a session that knows only the
password reaches no page. Wrong codes are failed logins like wrong passwords: they count towards the
lock per (username, address) and the lock per account (portal/account_lock.py), and a locked account
is refused at the second step too.
"""

from __future__ import annotations

import time

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import account_lock, permissions

PENDING_USER = "second_step_user"
PENDING_BACKEND = "second_step_backend"
PENDING_SINCE = "second_step_since"
PENDING_NEXT = "second_step_next"
# The password step is valid this long; then the person starts again with the password.
PENDING_SECONDS = 600
RECOVERY_CODES = 10
APP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return authenticator(user) is not None


def exempt_from_requirement() -> bool:
    """The local sandbox run (make run): DEBUG and SANDBOX_ENABLED both on. Never a deployment."""
    return settings.DEBUG and settings.SANDBOX_ENABLED


def required(user) -> bool:
    """Portal administrators must have a second factor (except in the local sandbox run)."""
    return permissions.is_portal_administrator(user) and not exempt_from_requirement()


def second_step_needed(user) -> bool:
    return has_second_factor(user) or required(user)


# --- the pending login between the two steps ------------------------------------------------------

def begin(request, user, next_url: str) -> None:
    """The password was right: remember who, until the second step (or PENDING_SECONDS)."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_SINCE] = time.time()
    request.session[PENDING_NEXT] = next_url


def pending_user(request):
    """The person who passed the password step in this session, or None (none, or too long ago)."""
    since = request.session.get(PENDING_SINCE)
    if since is None or time.time() - since > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()


def forget(request) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE, PENDING_NEXT):
        request.session.pop(key, None)


def complete(request, user, device) -> str:
    """Both steps passed: log in (Django, then django-otp's verified device). Returns where to go next."""
    next_url = request.session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
    backend = request.session.get(PENDING_BACKEND)
    forget(request)
    login(request, user, backend=backend)
    django_otp.login(request, device)
    return next_url


# --- codes ----------------------------------------------------------------------------------------

def refuse_if_locked(request, user) -> None:
    """PermissionDenied (request marked for the lockout page) when the name is locked, per address or
    per account: the second step is a login attempt like the first."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out = True
        request.axes_credentials = credentials
        raise PermissionDenied
    account_lock.refuse_if_locked(request, user.get_username())


def verify(request, user, code: str):
    """The device that accepts `code` (the app's code, or a recovery code, used up by this), or None.
    A wrong code is a failed login: django-axes and the account lock count it."""
    code = "".join(code.split())
    device = django_otp.match_token(user, code) if code else None
    if device is None:
        request.login_guess = True  # portal/account_lock.py counts it
        user_login_failed.send(sender=__name__, request=request,
                               credentials={settings.AXES_USERNAME_FORM_FIELD: user.get_username()})
    return device


def new_authenticator(user) -> TOTPDevice:
    """An unconfirmed authenticator for the enrolment page; the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=APP_NAME)


def confirm_authenticator(device: TOTPDevice, code: str) -> bool:
    """The person's app shows the right code: the device counts from now on (any older one goes)."""
    if not device.verify_token("".join(code.split())):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return True


def new_recovery_codes(user) -> list[str]:
    """RECOVERY_CODES fresh one-time codes (the old ones stop working). Shown once, stored as django-otp
    stores them."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove(user) -> None:
    """Switch the second factor off: the app and the recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
