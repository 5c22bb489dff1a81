"""Nmbrs REST's pages: connect in the browser (OAuth authorization code, the state kept in the person's
session and checked on return), disconnect, the company page (link one, as Nmbrs SOAP's), the move from
SOAP (one administration, or all at once from the portal settings)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from connectors.nmbrs_rest.errors import MissingScope, NmbrsRestError, OAuthError
from connectors.nmbrs_rest.mapping import SOURCE
from connectors.nmbrs_rest.oauth import parse_callback
from integrations.nmbrs.linking import number_refusal
from integrations.nmbrs.models import options_of
from integrations.nmbrs_rest import access, moving
from integrations.nmbrs_rest.forms import LinkCompanyForm
from integrations.nmbrs_rest.linking import link_company, list_companies, reachable
from integrations.nmbrs_rest.models import link_of, portal_connection, set_portal_connection
from portal import auditing, permissions
from portal.effective import effective_settings
from portal.models import PortalSettings
from portal.models.audit import AuditAction
from portal.paging import paginate
from portal.sentences import fill
from portal.sources import shared_access
from portal.sources.messages import user_message
from portal.views.access import administration_for, id_or_404, portal_view, receives_secrets

SESSION_KEY = "nmbrs_rest_oauth"


class Target:
    """Whose connection: the portal's (administration None) or one administration's own."""

    def __init__(self, administration=None):
        self.administration = administration

    @property
    def connection(self):
        if self.administration is None:
            return portal_connection(PortalSettings.load())
        return link_of(self.administration).own_connection

    @property
    def url(self) -> str:
        if self.administration is None:
            return reverse("portal:settings") + "#nmbrs_rest"
        return reverse("portal:administration", args=[self.administration.pk]) + "#nmbrs_rest"

    @property
    def label(self) -> str:
        if self.administration is None:
            return _("Portal Nmbrs REST connection")
        return _("Nmbrs REST connection of %(name)s") % {"name": self.administration.name}

    def attach(self, connection) -> None:
        if self.administration is None:
            portal = PortalSettings.load()
            if portal_connection(portal) != connection:
                set_portal_connection(portal, connection)
            return
        link = link_of(self.administration)
        if link.own_connection_id != connection.pk:
            link.administration, link.own_connection = self.administration, connection
            link.save()


def _target(request, administration_pk) -> Target:
    if administration_pk in (None, ""):
        if not permissions.can_manage_portal_settings(request.user):
            raise PermissionDenied
        return Target()
    administration = administration_for(request.user, id_or_404(administration_pk), edit=True)
    if administration.source != SOURCE:
        raise Http404
    return Target(administration)


def oauth_message(exc: NmbrsRestError) -> str:
    """What went wrong at Nmbrs' login, in words, with what to do."""
    if isinstance(exc, MissingScope):
        return _("Nmbrs granted fewer permissions than the portal needs (%(scope)s), so Nmbrs is not connected. "
                 "Click \"Connect to Nmbrs\" again and allow every permission.") % {"scope": exc.scope or "?"}
    if isinstance(exc, OAuthError) and exc.error == "invalid_client":
        return _("Nmbrs does not recognise the portal's client ID or secret (invalid_client). Check them in the "
                 "portal settings.")
    return user_message(exc)


@require_POST
@portal_view()
def connect(request):
    target = _target(request, request.POST.get("administration"))
    client_id, client_secret, key = access.app_credentials()
    if not (client_id and client_secret and key):
        messages.error(request, _("The portal has no Nmbrs client ID, secret and subscription key yet: a portal "
                                  "administrator enters them in the portal settings."))
        return redirect(target.url)
    url, state = access.oauth().authorization_url()
    request.session[SESSION_KEY] = {"state": state, "administration": target.administration.pk
                                    if target.administration else None}
    return redirect(url)


@receives_secrets
@require_GET
@portal_view()
def callback(request):
    pending = request.session.pop(SESSION_KEY, None)  # one answer per attempt, whatever it says
    target = None
    try:
        if not isinstance(pending, dict):
            parse_callback(request.GET, None)  # raises StateMismatch: no attempt in this session
        target = _target(request, pending.get("administration"))
        code = parse_callback(request.GET, pending.get("state"))
        tokens = access.oauth().exchange_code(code)
    except NmbrsRestError as exc:
        messages.error(request, oauth_message(exc))
        return redirect(target.url if target else reverse("portal:dashboard"))
    with transaction.atomic():
        connection = access.store_authorisation(target.connection, tokens, request.user)
        target.attach(connection)
        auditing.record(request.user, AuditAction.CONNECTED, connection, label=target.label)
    messages.success(request, _("Nmbrs authorised: the portal may now fetch payroll documents through Nmbrs' "
                                "REST API."))
    return redirect(target.url)


@require_POST
@portal_view()
def disconnect(request):
    target = _target(request, request.POST.get("administration"))
    connection = target.connection
    if connection is None or connection.status == "not_connected":
        messages.info(request, _("Nmbrs (REST) was not connected."))
        return redirect(target.url)
    with transaction.atomic():
        access.remove_authorisation(connection)
        auditing.record(request.user, AuditAction.DISCONNECTED, connection, label=target.label)
    messages.success(request, _("Nmbrs (REST) is disconnected: the stored authorisation is removed."))
    return redirect(target.url)


@portal_view()
def companies(request, pk):
    administration = administration_for(request.user, pk, edit=request.method == "POST")
    if administration.source != SOURCE:
        raise Http404
    effective = effective_settings(administration)
    connection = effective.nmbrs_rest_connection
    form = LinkCompanyForm(request.POST or None)
    error = access.refusal(connection)
    listed = []
    if not error:
        try:
            listed = reachable(administration, list_companies(connection), request.user)
        except NmbrsRestError as exc:
            error = user_message(exc)
    if request.method == "POST" and form.is_valid() and not error:
        company = next((c for c in listed if c.id == str(form.cleaned_data["company_id"])), None)
        must_match = options_of(effective.import_settings).number_must_match
        if company is None:
            form.add_error(None, _("The Nmbrs user who connected does not see this company (any more)."))
        elif refused := number_refusal(administration, company, must_match=must_match):
            form.add_error(None, refused)
        else:
            with transaction.atomic():
                link_company(request.user, administration, company)
                if note := shared_access.assign_for_administrator(request.user, administration, company.name):
                    messages.info(request, note)
            messages.success(request, fill(_("%(administration)s is linked to the Nmbrs company %(company)s."),
                                           {"administration": administration.name, "company": company.name}))
            return redirect("portal:administration", pk=administration.pk)
    page = paginate(request, listed)
    linked = link_of(administration).company_id
    return render(request, "nmbrs_rest/companies.html", {
        "administration": administration, "domain": administration.domain, "effective": effective,
        "rows": [{"company": c, "linked": c.id == linked} for c in page], "page": page, "error": error,
        "form": form, "can_edit": permissions.can_edit_domain(request.user, administration.domain),
        "linked_refused": shared_access.refusal(administration),
    })


@require_POST
@portal_view()
def move_from_soap(request, pk):
    """The Nmbrs SOAP administration page's "Switch to the REST API" button."""
    administration = administration_for(request.user, pk, edit=True)
    if refused := moving.move(request.user, administration):
        messages.error(request, refused)
    else:
        messages.success(request, fill(_("%(name)s now imports through Nmbrs' REST API. What was booked through "
                                         "SOAP is recognised and not booked again."), {"name": administration.name}))
    return redirect(reverse("portal:administration", args=[administration.pk]))


@require_POST
@portal_view(permissions.can_manage_portal_settings)
def move_all(request):
    moves = moving.move_all(request.user)
    if moves.moved:
        messages.success(request, fill(_("Moved to Nmbrs' REST API: %(names)s."), {"names": ", ".join(moves.moved)}))
    for refused in moves.refused:
        messages.error(request, fill(_("Not moved: %(why)s"), {"why": refused}))
    if not moves.moved and not moves.refused:
        messages.info(request, _("No administration imports through Nmbrs SOAP any more."))
    return redirect(reverse("portal:settings") + "#nmbrs_rest")
