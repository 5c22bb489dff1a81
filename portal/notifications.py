"""Notices in the portal and by e-mail, to portal administrators and the domain's backoffice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.languages import language_of
from portal.models import Notice, NoticeLevel, PortalRole

log = logging.getLogger(__name__)


def _recipient_users(domain=None):
    """Portal administrators and portal backoffice, plus the domain's backoffice users."""
    User = get_user_model()
    who = Q(portal_membership__role__in=[PortalRole.ADMINISTRATOR, PortalRole.BACKOFFICE])
    if domain is not None:
        who |= Q(domain_memberships__domain=domain)
    return User.objects.filter(who, is_active=True).exclude(email="").select_related("profile").distinct()


def _recipients_by_language(domain=None) -> dict[str, list[str]]:
    """The addresses per language their owners read the portal in (portal.languages)."""
    by_language: dict[str, set[str]] = {}
    for user in _recipient_users(domain):
        by_language.setdefault(language_of(user), set()).add(user.email)
    return {language: sorted(addresses) for language, addresses in sorted(by_language.items())}


def notify(*, title: str, message: str, key: str = "", level: str = NoticeLevel.ERROR, administration=None,
           domain=None, run=None, link: str = "", email: bool = True) -> Notice:
    """Open a notice, or, when one with the same key is still open, update it and count the repeat."""
    domain = domain or (administration.domain if administration is not None else None)
    notice = Notice.objects.filter(key=key, resolved_at__isnull=True).first() if key else None
    if notice is None:
        notice = Notice.objects.create(title=title, message=message, key=key, level=level, domain=domain,
                                       administration=administration, run=run, link=link)
    else:
        notice.repeats += 1
        notice.title, notice.message, notice.run, notice.link, notice.level = title, message, run, link, level
        notice.save()
    if email:
        _send(notice)
    return notice


def resolve(key: str) -> int:
    """Close the open notices with this key (the problem went away)."""
    return Notice.objects.filter(key=key, resolved_at__isnull=True).update(resolved_at=timezone.now())


def _send(notice: Notice) -> None:
    """One e-mail per language: its own words in the recipient's language; the notice's title and text
    are what the import wrote, in the portal's language (like the run log)."""
    for language, to in _recipients_by_language(notice.domain).items():
        with translation.override(language):
            subject = notice.title
            if notice.repeats > 1:
                subject = _("%(title)s (failed %(count)s times in a row)") % {"title": notice.title,
                                                                            "count": notice.repeats}
            body = notice.message
            if notice.link:
                body += "\n\n" + _("Details: %(address)s") % {"address": settings.PORTAL_BASE_URL + notice.link}
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
        except Exception:  # a mail outage must not break an import; the notice is in the portal anyway
            log.exception("could not e-mail notice %s", notice.pk)
