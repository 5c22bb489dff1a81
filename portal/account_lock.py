"""The lock per account, across addresses: a slow password spray from many addresses.

django-axes locks a (username, client address) pair after LOGIN_MAX_FAILURES. An attacker with many
addresses gets that many guesses from each of them. So every checked failure is also written down per
account (LoginFailure): LOGIN_ACCOUNT_MAX_FAILURES of them within LOGIN_ACCOUNT_WINDOW_SECONDS, from
any addresses, lock the account name for LOGIN_ACCOUNT_LOCKOUT_SECONDS after the last one, for every
address (the right password included). Attempts while locked are refused before any password check
and are not counted, so the lock ends on time; a failure after it ends, with the window still full,
locks again. Each time the lock starts, the account's owner (when the account has an e-mail address)
and the portal administrators are e-mailed, each in their own language.

A name that is no account is counted and locked the same way (the answer must not tell which names
exist), but nobody is e-mailed about it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.languages import language_of
from portal.login_throttle import client_address, normalized_username, username_key
from portal.models import LoginFailure, PortalRole

log = logging.getLogger(__name__)


def locked_until(username: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this account name ends, or None when it is not locked."""
    now = now or timezone.now()
    limit = settings.LOGIN_ACCOUNT_MAX_FAILURES
    if limit <= 0:
        return None
    since = now - timedelta(seconds=settings.LOGIN_ACCOUNT_WINDOW_SECONDS)
    recent = list(LoginFailure.objects.filter(username=normalized_username(username), at__gte=since)
                  .order_by("-at").values_list("at", flat=True)[:limit])
    if len(recent) < limit:
        return None
    until = recent[0] + timedelta(seconds=settings.LOGIN_ACCOUNT_LOCKOUT_SECONDS)
    return until if until > now else None


def refuse_if_locked(request, username: str) -> None:
    """Raise PermissionDenied when the account is locked, marked so that AxesMiddleware answers with the
    lockout page (portal.views.auth.locked_out), which says until when."""
    until = locked_until(username)
    if until is None:
        return
    request.axes_locked_out = True
    request.axes_credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
    request.account_locked_until = until
    raise PermissionDenied


class AccountLockBackend:
    """An authentication backend that never logs anyone in: it refuses a locked account before any
    password is checked (second in AUTHENTICATION_BACKENDS, after django-axes' own)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and username is not None:
            refuse_if_locked(request, username)
            # Not locked (django-axes' backend, before this one, would have refused): the password is
            # checked next, so a failure now is a guess that counts.
            request.login_guess = True
        return None  # no get_user(): a session is never this backend's (Client.force_login skips it too)


def record_failure(request, username: str) -> None:
    """Write down one checked failure; when it starts the lock, tell the owner and the administrators."""
    now = timezone.now()
    LoginFailure.objects.create(username=normalized_username(username), address=client_address(request), at=now)
    # Rows older than the window are never read again: of every name, so that a spray of made-up names
    # leaves no more rows than the window's failures.
    window = timedelta(seconds=settings.LOGIN_ACCOUNT_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=now - window).delete()
    until = locked_until(username, now)
    if until is not None:
        _tell_about_lock(username, until)


@receiver(user_login_failed, dispatch_uid="portal.account_lock")
def count_failure(sender, credentials, request=None, **kwargs):
    # Only a checked password or code is a guess (request.login_guess); a refusal because of a lock
    # (django-axes' or ours) checked nothing. (request.axes_locked_out cannot tell: django-axes also
    # sets it when this very failure starts its lock.)
    if request is None or not getattr(request, "login_guess", False):
        return
    username = username_key(request, credentials)
    if username:
        record_failure(request, username)


def _tell_about_lock(username: str, until: datetime) -> None:
    User = get_user_model()
    owner = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
    if owner is None:
        return
    administrators = User.objects.filter(portal_membership__role=PortalRole.ADMINISTRATOR,
                                         is_active=True).exclude(email="").select_related("profile")
    people = {person.pk: person for person in administrators}
    if owner.email:
        people[owner.pk] = owner
    failures = settings.LOGIN_ACCOUNT_MAX_FAILURES
    hours = max(1, settings.LOGIN_ACCOUNT_WINDOW_SECONDS // 3600)
    for person in people.values():
        with translation.override(language_of(person)):
            when = date_format(timezone.localtime(until), "DATETIME_FORMAT")
            subject = _("Login locked for the account %(username)s") % {"username": owner.get_username()}
            if person.pk == owner.pk:
                body = _("Your account %(username)s had %(failures)s failed login attempts within %(hours)s "
                         "hours, from different addresses. To protect it, nobody can log in as "
                         "%(username)s until %(until)s, not even with the right password. Was this not "
                         "you? Then someone may be guessing your password: choose a new one after the "
                         "lock ends, or ask a portal administrator.")
            else:
                body = _("The account %(username)s had %(failures)s failed login attempts within %(hours)s "
                         "hours, from different addresses. Nobody can log in as %(username)s until "
                         "%(until)s. If the owner did not make these attempts, someone may be guessing "
                         "the password.")
            body %= {"username": owner.get_username(), "failures": failures, "hours": hours, "until": when}
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)
        except Exception:  # a mail outage must not turn a refused login into an error page
            log.exception("could not e-mail the account lock of %s to user %s", owner.pk, person.pk)

