from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import auditing, permissions, yuki_check
from portal.effective import effective_settings
from portal.forms.settings import AdministrationForm, ImportSettingsForm
from portal.models import Administration, EntryState, ImportSettings, PortalSettings
from portal.paging import paginate
from portal.sources import shared_access
from portal.sources.registry import source_of
from portal.views.access import administration_for, domain_for, portal_view, receives_secrets
from portal.views.imports import ImportForm


@portal_view()
def administration_detail(request, pk):
    administration = administration_for(request.user, pk, edit=False)
    effective = effective_settings(administration)
    return render(request, "portal/administration_detail.html", {
        "administration": administration,
        "effective": effective,
        "connection": source_of(effective.administration).connection_state(effective),
        "payroll_source": source_of(administration),
        "can_edit": permissions.can_edit_domain(request.user, administration.domain),
        "import_form": ImportForm(),
        "recent_runs": administration.runs.all()[:10],
        "documents": paginate(request, administration.ledger_entries.order_by("-period", "kind", "title", "pk").only(
            "administration", "title", "version", "period", "state", "booked_at"), param="documents_page"),
        "failed_count": administration.ledger_entries.filter(state=EntryState.FAILED).count(),
        "can_deep_check": permissions.is_portal_administrator(request.user),
    })


@receives_secrets
@portal_view()
def administration_create(request, domain_pk):
    domain = domain_for(request.user, domain_pk, edit=True)
    return _edit(request, Administration(domain=domain))


@receives_secrets
@portal_view()
def administration_edit(request, pk):
    return _edit(request, administration_for(request.user, pk, edit=True))


def _edit(request, administration: Administration):
    """One page for all of an administration's settings, with the 'use the portal's' switches.

    The own import settings and a source's sub-forms (e.g. its own credentials: portal.forms.parts) only
    count (and are only validated) when their section applies.
    """
    is_new = administration.pk is None
    data = request.POST if request.method == "POST" else None
    form = AdministrationForm(data, instance=administration, user=request.user)
    own_import = administration.own_import_settings or ImportSettings(
        **{f: getattr(PortalSettings.load().import_settings, f) for f in ImportSettingsForm.base_fields}
    )
    # Snapshots before validation: a ModelForm's is_valid() already writes the input onto the instance
    # (the sources' sub-forms take theirs when they are built).
    import_before = auditing.snapshot(own_import) if own_import.pk else None
    admin_before = None if is_new else auditing.snapshot(administration)
    # A section that does not count (FormSection) is neither validated nor shown with errors: its form
    # stays unbound. The rest is validated together, so every error shows at once; a source is asked
    # (its sub-forms' checks) only once everything else is right.
    wants_own_import = form.section_applies("own_import")
    import_form = ImportSettingsForm(data if wants_own_import else None, instance=own_import, prefix="own",
                                     options_from=PortalSettings.load().import_settings)
    sub_forms = form.source_sub_forms(data)
    counting = {name: (part, sub_form) for name, (part, sub_form) in sub_forms.items() if form.section_applies(name)}

    if data is not None:
        main_ok = form.is_valid()
        import_ok = not wants_own_import or import_form.is_valid()
        sub_forms_ok = main_ok and import_ok and all(sub_form.is_valid() for _part, sub_form in counting.values())
        if sub_forms_ok:
            with transaction.atomic():
                if wants_own_import:
                    label = _("Import settings of %(name)s") % {"name": form.instance.name}
                    auditing.save_audited(request.user, import_form.instance, import_before, label=label,
                                          parts=import_form.option_rows())
                    form.instance.own_import_settings = import_form.instance
                for name, (part, sub_form) in counting.items():
                    part.save(request.user, form.instance, name, sub_form)
                auditing.save_audited(request.user, form.instance, admin_before, parts=form.links())
                note = shared_access.assign_for_administrator(request.user, form.instance, form.instance.name)
            messages.success(request, _("Administration %(name)s is saved.") % {"name": form.instance.name})
            if form.yuki_check is not None:
                checked = form.yuki_check.verdict == yuki_check.Verdict.FOUND
                (messages.success if checked else messages.warning)(request, form.yuki_check.message)
            if note:
                messages.info(request, note)
            if wants_own_import and (warning := import_form.instance.window_warning()):
                messages.warning(request, warning)
            return redirect("portal:administration", pk=form.instance.pk)

    return render(request, "portal/administration_form.html", {
        "administration": administration,
        "domain": administration.domain,
        "is_new": is_new,
        "form": form,
        "import_form": import_form,
        "sections": form.section_states(),
        "source_templates": form.source_templates(),
        "portal_import": PortalSettings.load().import_settings,
        # each source's sub-form, under the name its card renders it from (FormSection.form)
        **{form.sections[name].form: sub_form for name, (_part, sub_form) in sub_forms.items()},
    })


@require_POST
@portal_view()
def administration_test_yuki(request, pk):
    """The "Yuki testen" button: the stored key and ID checked with Yuki, the name in Yuki kept, and the
    latest journal's accounts checked against Yuki's chart (portal/yuki_check.py)."""
    administration = administration_for(request.user, pk, edit=True)
    check = yuki_check.test_yuki(administration)
    if check.verdict == yuki_check.Verdict.FOUND and check.name != administration.yuki_administration_name:
        Administration.objects.filter(pk=administration.pk).update(yuki_administration_name=check.name)
    if check.verdict == yuki_check.Verdict.FOUND and not check.missing:
        messages.success(request, check.message)
    elif check.verdict == yuki_check.Verdict.UNCHECKED or check.missing:
        messages.warning(request, check.message)
    else:
        messages.error(request, check.message)
    return redirect("portal:administration", pk=administration.pk)
