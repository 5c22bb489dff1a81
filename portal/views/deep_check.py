"""The deep check as a button for portal administrators (the same as check_connections --deep)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from portal import auditing, deep_check, permissions
from portal.models.audit import AuditAction
from portal.views.access import administration_for, portal_view


class DeepCheckForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False, max_length=7,
                             help_text=_("YYYY-MM; empty: this month."))

    def clean_period(self):
        try:
            return deep_check.parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


@require_POST
@portal_view(permissions.is_portal_administrator)
def deep_check_view(request, pk):
    """Only reads at the source: a POST because it calls the vendor, not because it changes anything."""
    administration = administration_for(request.user, pk, edit=False)
    form = DeepCheckForm(request.POST)
    report = deep_check.run(administration, form.cleaned_data["period"]) if form.is_valid() else None
    if report is not None:
        # Who read an administration's payroll data at the source, and when: in the audit log.
        findings = [f.level for f in report.findings]
        auditing.record(request.user, AuditAction.CHECKED, administration, {
            gettext_noop("Period"): {"old": "", "new": form.cleaned_data["period"].key},
            gettext_noop("Errors"): {"old": "", "new": findings.count("error")},
            gettext_noop("Points to check"): {"old": "", "new": findings.count("warning")},
        }, label=administration.name)
    return render(request, "portal/deep_check.html", {
        "administration": administration, "form": form, "report": report,
        "summary": deep_check.summary(report) if report else "",
        "findings": [(deep_check.level_label(f.level), f) for f in report.findings] if report else [],
    }, status=200 if form.is_valid() else 400)
