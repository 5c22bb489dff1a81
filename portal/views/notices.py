"""Dismissing a notice: the person saw it and dealt with it. A new failure opens a new notice."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import auditing, permissions
from portal.models import Notice
from portal.models.audit import AuditAction
from portal.views.access import check_domain, portal_view


def can_dismiss(user, notice: Notice) -> bool:
    """Whoever may change the notice's domain; a portal-wide notice only a portal administrator."""
    if notice.domain is None:
        return permissions.is_portal_administrator(user)
    return permissions.can_edit_domain(user, notice.domain)


@require_POST
@portal_view()
def dismiss(request, pk):
    notice = get_object_or_404(Notice.objects.select_related("domain"), pk=pk)
    if notice.domain is not None:
        check_domain(request.user, notice.domain, edit=False)  # another domain's notice: 404, as a missing one
    if not can_dismiss(request.user, notice):
        raise PermissionDenied
    with transaction.atomic():
        dismissed = Notice.objects.filter(pk=notice.pk, resolved_at__isnull=True).update(resolved_at=timezone.now())
        if dismissed:
            auditing.record(request.user, AuditAction.CHANGED, notice,
                            {_("dismissed"): {"old": "", "new": notice.title}}, label=_("Notice"))
    messages.success(request, _("The notice “%(title)s” is dismissed.") % {"title": notice.title})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "portal:dashboard"
    return redirect(target)
