from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from portal import permissions
from portal.models import AuditLogEntry
from portal.paging import COUNT_CAP, paginate
from portal.views.access import portal_view


class AuditFilter(forms.Form):
    # A form field refuses what the database cannot search for (a NUL character, a novel).
    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Search"))


@portal_view(permissions.can_view_audit_log)
def audit_log(request):
    entries = AuditLogEntry.objects.all()
    form = AuditFilter(request.GET)
    q = ""
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            entries = entries.filter(object_repr__icontains=q) | entries.filter(username__icontains=q)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    page = paginate(request, entries, cap=COUNT_CAP)
    return render(request, "portal/audit_log.html", {"page": page, "q": q})
