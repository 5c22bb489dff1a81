from django.core.paginator import Paginator
from django.shortcuts import render

from portal import permissions
from portal.models import AuditLogEntry
from portal.views.access import portal_view


@portal_view(permissions.can_view_audit_log)
def audit_log(request):
    entries = AuditLogEntry.objects.all()
    if q := request.GET.get("q", "").strip():
        entries = entries.filter(object_repr__icontains=q) | entries.filter(username__icontains=q)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "portal/audit_log.html", {"page": page, "q": q})
