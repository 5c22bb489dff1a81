"""An administration's ledger account mapping: payroll account -> Yuki account (optionally per cost centre),
with the latest journal as it would be booked after the mapping (portal/account_check.py)."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import account_check, auditing, permissions
from portal.forms.account_mapping import AccountMappingForm, already_mapped
from portal.imports import booking
from portal.models import EntryState, YukiAccountMapping
from portal.models.audit import AuditAction
from portal.views.access import administration_for, portal_view
from portal.yuki_check import latest_journal


def _label(mapping: YukiAccountMapping) -> str:
    return _("Ledger account mapping %(mapping)s of %(name)s") % {"mapping": mapping,
                                                                  "name": mapping.administration.name}


@portal_view()
def account_mapping(request, pk):
    administration = administration_for(request.user, pk, edit=request.method == "POST")
    form = AccountMappingForm(request.POST or None, administration=administration)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                mapping = form.save()
                auditing.record(request.user, AuditAction.CREATED, mapping, auditing.diff(mapping, None),
                                label=_label(mapping))
        except IntegrityError:  # the same mapping saved a moment ago (a double click): the form's own words
            form.add_error(None, already_mapped(form.cleaned_data["payroll_account"]))
            return _page(request, administration, form)
        messages.success(request, _("Lines on %(mapping)s are booked on the Yuki account from now on; a journal "
                                    "waiting for it is booked at the next import.") % {"mapping": mapping})
        return redirect("portal:account-mapping", pk=administration.pk)
    return _page(request, administration, form)


def _page(request, administration, form):
    return render(request, "portal/account_mapping.html", {
        "administration": administration, "form": form,
        "mappings": administration.account_mappings.all(),
        "can_edit": permissions.can_edit_domain(request.user, administration.domain),
        "preview": _preview(administration),
        "waiting": administration.ledger_entries.filter(state=EntryState.WAITING_ACCOUNTS).order_by("-period"),
    })


def _preview(administration) -> dict | None:
    """The latest journal's lines after the mapping, each with whether Yuki's chart (as last read, no call
    here) has its account."""
    entry = latest_journal(administration)
    if entry is None:
        return None
    chart = account_check.cached_chart(administration)
    rows = []
    for number, line in enumerate(booking.mapped_lines(entry), start=1):
        account = line["gl_account"]
        rows.append({"number": number, "date": line["entry_date"], "payroll_account": line.get("payroll_gl_account")
                     or account, "cost_centre": line.get("cost_centre") or "", "yuki_account": account,
                     "mapped": "payroll_gl_account" in line, "amount": line["amount"],
                     "description": line.get("description", ""),
                     "in_yuki": None if not chart else account in chart,
                     "yuki_name": (chart or {}).get(account, "")})
    return {"entry": entry, "rows": rows, "chart_known": bool(chart),
            "missing": sum(1 for row in rows if row["in_yuki"] is False)}


@require_POST
@portal_view()
def mapping_delete(request, pk, mapping_pk):
    administration = administration_for(request.user, pk, edit=True)
    mapping = YukiAccountMapping.objects.filter(pk=mapping_pk, administration=administration).first()
    if mapping is None:  # deleted already (a second click, another tab): nothing left to do
        return redirect("portal:account-mapping", pk=administration.pk)
    with transaction.atomic():
        auditing.record(request.user, AuditAction.DELETED, mapping, label=_label(mapping))
        mapping.delete()
    messages.success(request, _("The mapping %(mapping)s is deleted.") % {"mapping": mapping})
    return redirect("portal:account-mapping", pk=administration.pk)
