"""A document's page (its state and history), the "To check" list, and a person's answers: booked in Yuki
or not, send it again."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import permissions, tasks
from portal.imports import changes, finishing, ledger, reconcile, runs
from portal.models import EntryState, LedgerEntry
from portal.paging import paginate
from portal.views.access import check_domain, portal_view
from portal.views.imports import already_running
from portal.views.runs import DOCUMENT_CONTENT, IS_JOURNAL


@portal_view()
def document_detail(request, pk):
    # The page shows the document's state and history, not the document itself.
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain").defer(
        *DOCUMENT_CONTENT).annotate(is_journal=IS_JOURNAL), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=False)
    # Oldest first, as the history always read; a document sent again many times has pages of them.
    # Only the run's id is shown (a link): the run itself is not loaded.
    events = paginate(request, entry.events.order_by("at", "pk"))
    return render(request, "portal/document_detail.html", {
        "entry": entry, "events": events, "resendable": runs.RESENDABLE,
        # A correction: what this version changed against the booked one ("Brutoloon: EUR 3100.00 → EUR 3150.00").
        "changes": [changes.describe(c) for c in entry.changes or []] if entry.version > 1 else [],
        "can_edit": permissions.can_edit_domain(request.user, entry.administration.domain),
    })


@portal_view()
def needs_check(request):
    # Only what the lists show: never the stored documents (a PDF each) or their journal lines.
    uncertain = LedgerEntry.objects.filter(
        state=EntryState.NEEDS_CHECK, administration__domain__in=permissions.visible_domains(request.user)
    ).select_related("administration__domain").only(
        "title", "period", "last_error", "state", "check_by_person", "attempted_at", "updated_at",
        "administration__name", "administration__domain__name", "administration__domain").annotate(
        is_journal=IS_JOURNAL).order_by("administration__domain__name", "administration__name", "period", "title", "pk")
    return render(request, "portal/needs_check.html", {
        "entries": paginate(request, uncertain.filter(check_by_person=True)),
        # Also listed: the ones still being checked automatically, so this page agrees with the run page.
        "automatic": paginate(request, uncertain.filter(check_by_person=False), param="automatic_page"),
    })


@require_POST
@portal_view()
def document_answer(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=True)
    in_yuki = request.POST.get("answer") == "in_yuki"
    answered_run = entry.last_run_id
    if not entry.check_by_person:
        messages.warning(request, _("This document is still being checked automatically; answer only when asked."))
    elif reconcile.answer(entry.pk, in_yuki=in_yuki, user=request.user):
        if not in_yuki or ledger.take_up_pending(entry.pk, None):
            with transaction.atomic():
                tasks.retry_failed(entry.administration, user=request.user, states=(EntryState.NEW,))
        finishing.recount(answered_run)
        messages.success(request, _("Thank you: %(title)s is %(what)s.") % {
            "title": entry.title, "what": _("marked as booked") if in_yuki else _("being booked again")})
    else:
        messages.warning(request, _("This document no longer needs a check."))
    return redirect("portal:document", pk=entry.pk)


@require_POST
@portal_view()
def document_resend(request, pk):
    """Send one failed (or budget-waiting) document again, from its own page."""
    entry = get_object_or_404(LedgerEntry.objects.select_related("administration__domain"), pk=pk)
    check_domain(request.user, entry.administration.domain, edit=True)
    if busy := already_running(request, entry.administration):
        return busy
    with transaction.atomic():
        run = tasks.resend_document(entry, user=request.user)
    if run is None:
        messages.warning(request, _("Only a document that failed or waits for Yuki's budget is sent again; "
                                    "this one is %(state)s.") % {"state": entry.get_state_display().lower()})
        return redirect("portal:document", pk=entry.pk)
    messages.success(request, _("%(title)s is sent again.") % {"title": entry.title})
    return redirect("portal:run", pk=run.pk)
