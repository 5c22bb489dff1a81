"""Connect, disconnect and test Loket: the portal's connection (docs/vendors/loket.md, "Authorisation") or an administration's own
(step 4, when "use the portal's Loket access" is off).

"Verbind met Loket" starts the authorization-code flow; the `state` and the target (portal or one
administration) wait in the user's session until Loket sends the user back to `callback`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from connectors.loket.checks import ConnectionCheck, check_authorisation, check_connection
from connectors.loket.errors import (
    ConsentDenied,
    InvalidGrant,
    OAuthError,
    OAuthTransientError,
    StateMismatch,
)
from connectors.loket.mapping import SOURCE
from connectors.loket.oauth import parse_callback
from integrations.loket import access as loket_access
from integrations.loket import addresses
from integrations.loket.models import LoketConnection, link_of, portal_connection, set_portal_connection
from portal import auditing, permissions
from portal.effective import effective_settings
from portal.models import Administration, AssignedEmployer, PortalSettings
from portal.models.audit import AuditAction
from portal.models.connections import ConnectionStatus
from portal.sources import shared_access
from portal.sources.messages import user_message
from portal.sources.shared_access import EmployerRefused, guard
from portal.views.access import administration_for, id_or_404, portal_view, receives_secrets

SESSION_KEY = "loket_oauth"

# The names connectors.loket.checks gives its checks, marked here for translation.
CHECK_NAMES = (gettext_noop("Loket authorisation"), gettext_noop("Payroll administration"),
               gettext_noop("Payroll periods"), gettext_noop("Employments"), gettext_noop("Payslips"),
               gettext_noop("Journal runs"), gettext_noop("Journal run results"), gettext_noop("Wage tax returns"))


@dataclass
class Target:
    """Whose Loket connection a request is about: the portal's (administration None) or one administration's."""

    administration: Administration | None

    @property
    def connection(self) -> LoketConnection | None:
        if self.administration is None:
            return portal_connection(PortalSettings.load())
        return link_of(self.administration).own_connection

    @property
    def url(self) -> str:
        if self.administration is None:
            return reverse("portal:settings") + "#loket"
        return reverse("portal:administration", args=[self.administration.pk]) + "#loket"

    @property
    def label(self) -> str:
        if self.administration is None:
            return _("Portal Loket connection")
        return _("Loket connection of %(name)s") % {"name": self.administration.name}

    def attach(self, connection: LoketConnection) -> None:
        if self.administration is None:
            portal = PortalSettings.load()
            if portal_connection(portal) != connection:
                set_portal_connection(portal, connection)
            return
        link = link_of(self.administration)
        if link.own_connection_id != connection.pk:
            link.own_connection = connection
            link.save()


def _target(request, administration_pk) -> Target:
    """Portal level needs can_manage_portal_settings; an administration's own connection can_edit_domain."""
    if administration_pk in (None, ""):
        if not permissions.can_manage_portal_settings(request.user):
            raise PermissionDenied
        return Target(None)
    return Target(administration_for(request.user, id_or_404(administration_pk), edit=True))


def _fallback_url(request) -> str:
    if permissions.can_manage_portal_settings(request.user):
        return reverse("portal:settings") + "#loket"
    return reverse("portal:dashboard")


# --- connect ---------------------------------------------------------------------------------------

@require_POST
@portal_view()
def connect(request):
    target = _target(request, request.POST.get("administration"))
    administration = target.administration
    if administration is not None and administration.source != SOURCE:
        messages.error(request, _("%(name)s does not use Loket as its payroll source.") % {"name": administration.name})
        return redirect(target.url)
    if administration is not None and link_of(administration).use_portal_access:
        messages.error(request, _("%(name)s uses the portal's Loket access. Switch off \"use the portal's Loket "
                                  "access\" to connect it to another Loket account.") % {"name": administration.name})
        return redirect(target.url)
    client_id, client_secret = loket_access.loket_client_credentials()
    if not client_id or not client_secret:
        messages.error(request, _("The portal has no Loket client ID and secret yet. Set LOKET_CLIENT_ID and "
                                  "LOKET_CLIENT_SECRET and register the redirect URL at Loket."))
        return redirect(target.url)
    if portal_address := addresses.unreachable_return(request):
        messages.error(request, _("Loket sends you back to %(portal)s after logging in, but you are using the "
                                  "portal at %(here)s: to your browser that is another site, where this login "
                                  "would not be known. Open the portal at %(portal)s and connect again.") % {
            "portal": portal_address, "here": addresses.request_origin(request)})
        return redirect(target.url)
    return_url = addresses.return_url(request)
    try:
        url, state = loket_access.oauth(return_url).authorization_url()
    except ValueError as exc:  # LOKET_ENVIRONMENT names no environment we know
        messages.error(request, _("The Loket environment is not configured correctly: %(error)s") % {"error": exc})
        return redirect(target.url)
    request.session[SESSION_KEY] = {"state": state, "administration": administration.pk if administration else None,
                                    "return_url": return_url}
    addresses.remember(request, state)
    return redirect(url)


# --- callback --------------------------------------------------------------------------------------

def _message_for(exc: OAuthError, request) -> str:
    """What went wrong at Loket, in the bookkeeper's words, and what to do."""
    if isinstance(exc, StateMismatch) and (started := addresses.started_elsewhere(request)):
        return _("You started connecting Loket at %(started)s, and Loket sent you back to %(here)s: to your "
                 "browser these are two sites, each with its own login, so the login attempt is not known here "
                 "and Loket is not connected. Open the portal at %(started)s and click \"Connect to Loket\" "
                 "again.") % {"started": started, "here": addresses.request_origin(request)}
    if isinstance(exc, StateMismatch):
        return _("The answer from Loket does not belong to this login attempt (it was started in another tab, "
                 "or has already been used). Loket is not connected. Click \"Connect to Loket\" again.")
    if isinstance(exc, ConsentDenied):
        return _("Access was not granted at Loket (\"Deny\" was clicked), so Loket is not connected. Click "
                 "\"Connect to Loket\" and choose \"Allow\" to connect.")
    if isinstance(exc, InvalidGrant):
        return _("The authorisation code from Loket has expired or was already used, so Loket is not connected. "
                 "Click \"Connect to Loket\" again and finish the login at Loket within a minute.")
    if isinstance(exc, OAuthTransientError):
        return _("Loket's login service is unavailable or did not answer (%(error)s), so Loket is not connected. "
                 "Try again in a few minutes.") % {"error": exc.error or exc.status or "?"}
    if exc.error == "invalid_client":
        return _("Loket does not recognise the portal's client ID or secret (invalid_client). Check "
                 "LOKET_CLIENT_ID and LOKET_CLIENT_SECRET.")
    detail = f"{exc.error}: {exc.description}" if exc.description else (exc.error or "?")
    return _("Loket refused the authorisation (%(error)s), so Loket is not connected. Click \"Connect to "
             "Loket\" to try again; if it keeps happening, contact Loket support.") % {"error": detail}


@receives_secrets
@require_GET
@portal_view()
def callback(request):
    pending = request.session.pop(SESSION_KEY, None)  # one answer per attempt, whatever it says
    target = None
    try:
        if not isinstance(pending, dict):
            raise StateMismatch("no Loket login attempt in this session", error="state_mismatch")
        target = _target(request, pending.get("administration"))
        code = parse_callback(request.GET, pending.get("state"))
        tokens = loket_access.oauth(pending.get("return_url")).exchange_code(code)
    except OAuthError as exc:
        messages.error(request, _message_for(exc, request))
        return redirect(target.url if target else _fallback_url(request))

    with transaction.atomic():
        connection = loket_access.store_authorisation(target.connection, tokens, request.user)
        target.attach(connection)
        auditing.record(request.user, AuditAction.CONNECTED, connection, label=target.label)
    messages.success(request, _("Loket authorised: the portal may now fetch payroll documents from Loket."))
    return redirect(target.url)


# --- disconnect ------------------------------------------------------------------------------------

@require_POST
@portal_view()
def disconnect(request):
    target = _target(request, request.POST.get("administration"))
    connection = target.connection
    if connection is None or (not connection.refresh_token and connection.status != ConnectionStatus.BROKEN):
        messages.info(request, _("Loket was not connected."))
        return redirect(target.url)
    with transaction.atomic():
        loket_access.remove_authorisation(connection)
        auditing.record(request.user, AuditAction.DISCONNECTED, connection, label=target.label)
    messages.success(request, _("Loket is disconnected: the stored authorisation is removed."))
    return redirect(target.url)


# --- test connection -------------------------------------------------------------------------------

def _administration_to_test(request, data) -> Administration | None:
    if not data.get("administration"):
        if not permissions.can_manage_portal_settings(request.user):
            raise PermissionDenied
        return None
    pk = id_or_404(data["administration"])
    # Testing may rotate tokens or mark the connection broken: a write, for those who may edit it.
    administration = administration_for(request.user, pk, edit=request.method == "POST")
    if administration.source != SOURCE:
        raise Http404
    return administration


def _portal_employer(data) -> AssignedEmployer | None:
    """On the portal's own test (the portal's managers): the assigned employer they chose to test the
    import's calls for; none chosen tests the authorisation only."""
    if not data.get("employer"):
        return None
    return get_object_or_404(AssignedEmployer, pk=id_or_404(data["employer"]), source=SOURCE)


def _run_checks(connection, administration, portal_employer) -> list[ConnectionCheck]:
    """The checks, each for the employer the guard allows: never one Loket picks. Raises EmployerRefused
    (before any call) when the administration may not reach its employer."""
    employer = guard(administration) if administration is not None else portal_employer
    # Interactive: a few seconds at most, not the import's patient retries.
    with loket_access.loket_client_for(connection, timeout=15.0, max_attempts=2, max_retry_after=5.0) as client:
        if employer is None:
            return [check_authorisation(client)]  # the firm's count, for the portal's managers only
        return check_connection(client, employer.number, employer.wage_tax_number)


@require_http_methods(["GET", "POST"])
@portal_view()
def test_connection(request):
    """Try every call the imports need (connectors.loket.checks) and list which work and which fail.

    Testing may refresh (and so rotate) the stored tokens, mark the connection broken and notify: a
    POST (the "Test connection" buttons). A GET only shows the page with that button. An administration
    is tested for its own employer only, and only when its domain may reach it (the one guard,
    portal/sources/shared_access.py): refused, nothing is asked of Loket and the page says why."""
    data = request.POST if request.method == "POST" else request.GET
    administration = _administration_to_test(request, data)
    portal_employer = _portal_employer(data) if administration is None else None
    origin = "portal"
    if administration is not None:
        effective = effective_settings(administration)
        connection, origin = effective.loket_connection, str(effective.loket_connection_origin)
        back_url = reverse("portal:administration", args=[administration.pk]) + "#loket"
        refused = shared_access.refusal_to_check(administration)
    else:
        connection = portal_connection(PortalSettings.load())
        back_url = reverse("portal:settings") + "#loket"
        refused = ""

    checks = []
    testable = connection is not None and connection.status == ConnectionStatus.AUTHORISED and not refused
    if testable and request.method == "POST":
        try:
            results = _run_checks(connection, administration, portal_employer)
        except EmployerRefused as exc:  # changed since the page was shown: still nothing was read
            refused = user_message(exc)
        else:
            checks = [{"name": _(check.name), "ok": check.ok, "message": check.message,
                       "missing_right": check.missing_right} for check in results]
            connection.refresh_from_db()  # a rejected refresh token marks it broken meanwhile
    failed = [check for check in checks if not check["ok"]]
    return render(request, "loket/test_connection.html", {
        "administration": administration,
        "connection": connection,
        "origin": origin,
        "checks": checks,
        "failed": failed,
        "refused": refused,
        "missing_rights": sorted({c["missing_right"] for c in failed if c["missing_right"]}),
        "back_url": back_url,
        "can_test": testable and connection.status == ConnectionStatus.AUTHORISED and not refused,
        "portal_employer": portal_employer,
        "portal_employers": (AssignedEmployer.objects.filter(source=SOURCE).select_related("domain")
                             .order_by("domain__name", "name", "pk") if administration is None else []),
    })
