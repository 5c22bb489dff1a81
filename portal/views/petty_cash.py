"""An administration's petty cash page ("Kas"): upload a statement in Yuki's CSV format or enter one line,
see every refusal per row and column, preview, and send it once (portal/imports/petty_cash_sending.py)."""

from __future__ import annotations

import json
from decimal import InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from connectors.documents import DocumentKind
from portal import account_check, permissions, petty_cash
from portal.forms.petty_cash import StatementLineForm, StatementUploadForm
from portal.imports import petty_cash_sending
from portal.imports.petty_cash_sending import Sent
from portal.paging import paginate
from portal.views.access import administration_for, portal_view
from yuki_client import StatementError


@portal_view()
def petty_cash_page(request, pk):
    administration = administration_for(request.user, pk, edit=request.method == "POST")
    chart = account_check.cached_chart(administration) or None
    upload_form, line_form = StatementUploadForm(), StatementLineForm()
    errors: list[petty_cash.RowError] = []
    prepared = None
    action = request.POST.get("action")
    if action == "check_file":
        upload_form = StatementUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            # One byte past the limit is enough for read_file to refuse it: a large upload is not read whole.
            upload = upload_form.cleaned_data["file"].read(petty_cash.MAX_FILE_BYTES + 1)
            prepared, errors = petty_cash.read_file(upload, chart)
    elif action == "check_line":
        line_form = StatementLineForm(request.POST)
        prepared = line_form.prepared()
    overlap = ()
    if action == "send":
        prepared, errors = _from_preview(request.POST.get("payload", ""), chart)
        if prepared is not None:
            result = petty_cash_sending.send(administration, prepared, request.user,
                                             overlap_confirmed=request.POST.get("overlap_confirmed") == "1")
            if result.outcome != Sent.OVERLAP:
                return _sent(request, administration, result)
            messages.warning(request, result.message)  # the preview again, with the lines named
            overlap = result.overlap
    entries = administration.ledger_entries.filter(kind=DocumentKind.PETTY_CASH).defer(
        "content", "pending_content").order_by("-created_at", "-pk")
    return render(request, "portal/petty_cash.html", {
        "administration": administration, "upload_form": upload_form, "line_form": line_form,
        "errors": errors, "prepared": prepared, "overlap": overlap,
        "payload": json.dumps(prepared.as_json()) if prepared is not None else "",
        "headers": petty_cash.HEADERS, "chart_known": bool(chart),
        "can_edit": permissions.can_edit_domain(request.user, administration.domain),
        "entries": paginate(request, entries),
    })


def _from_preview(payload: str, chart) -> tuple[petty_cash.Prepared | None, list[petty_cash.RowError]]:
    """The previewed statement, checked again in full: the page's hidden copy is the user's input."""
    try:
        shown = petty_cash.Prepared.from_json(json.loads(payload))
        if shown.method == petty_cash.Method.STATEMENT:
            return petty_cash.read_text(shown.text, chart)
        # A single line passes the line form's rules again, not only the client's (0,00, lengths, ';').
        line = shown.lines[0]
        form = StatementLineForm({
            "account": shown.account, "transaction_date": line.transaction_date.isoformat(),
            "description": line.description, "amount": str(line.amount), "transaction_code": line.transaction_code,
            "offset_account": line.suspense_account, "offset_name": line.suspense_name,
            "project_code": shown.project_code, "project_name": shown.project_name})
        prepared = form.prepared()
        if prepared is None:
            raise ValueError(form.errors.as_text())
        return prepared, []
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, InvalidOperation, StatementError):
        # The hidden copy can be anything a person sends (a number where text belongs, ...): never a 500.
        return None, [petty_cash.RowError(0, "", _("The preview could not be read back; upload the file or enter "
                                                   "the line again."))]


def _sent(request, administration, result):
    level = {Sent.BOOKED: messages.success, Sent.ALREADY_BOOKED: messages.info,
             Sent.BUSY: messages.warning}.get(result.outcome, messages.error)
    level(request, result.message)
    return redirect("portal:petty-cash", pk=administration.pk)
