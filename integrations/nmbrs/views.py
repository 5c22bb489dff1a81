"""Linking administrations to Nmbrs companies (docs/vendors/nmbrs.md, "Linking administrations to companies" "Koppel de relaties" and step 5 "Bepaal of
het nummer moet overeenkomen").

- `companies`: the companies an administration's effective credentials see; link one (by hand).
- `link_by_number`: for a domain's Nmbrs administrations, match the Relatiecode (the client's relation
  code in Yuki, `Administration.relation_code`) to the company number, show matches and
  mismatches with reasons, and save the confirmed matches.

Viewing needs `can_view_domain`, linking `can_edit_domain` (portal.views.access). Every link is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from connectors.nmbrs.companies import match_companies, normalize_number
from connectors.nmbrs.errors import NmbrsError, NoCompanyAccess
from connectors.nmbrs.mapping import SOURCE
from connectors.nmbrs.records import Company
from integrations.nmbrs.access import nmbrs_client_for
from integrations.nmbrs.forms import ConfirmMatchesForm, LinkCompanyForm, error_text
from integrations.nmbrs.linking import link_company, number_refusal, reachable
from integrations.nmbrs.models import NmbrsCredentials, link_of, options_of
from portal import permissions
from portal.effective import effective_settings
from portal.models import Administration, PortalSettings
from portal.paging import paginate
from portal.sentences import fill
from portal.sources import shared_access
from portal.sources.registry import source_of
from portal.views.access import administration_for, domain_for, portal_view

# Listing companies happens while a person waits for the page.
LIST_TIMEOUT = 30.0


def list_companies(credentials: NmbrsCredentials) -> list[Company]:
    """One CompanyService.List_GetAll call with the stored credentials. Raises the typed NmbrsError."""
    return sorted(nmbrs_client_for(credentials, timeout=LIST_TIMEOUT).companies(), key=lambda c: (c.number, c.name))


def _nmbrs_administration(user, pk: int, *, edit: bool) -> Administration:
    administration = administration_for(user, pk, edit=edit)
    if administration.source != SOURCE:
        raise Http404("This administration does not get its payroll documents from Nmbrs.")
    return administration


@require_POST
@portal_view()
def test_connection(request, pk):
    """The "Test connection" button of an administration's Nmbrs card: the same check as
    `check_connections` (the source's check_connection: the credentials it uses, and its company within
    reach), its lines shown on the administration page. Reads only; nothing is stored."""
    administration = _nmbrs_administration(request.user, pk, edit=True)  # another source's: 404
    for line in source_of(administration).check_connection(effective_settings(administration)):
        (messages.success if line.ok else messages.error)(request, f"{line.name}: {line.message}")
    return redirect(reverse("portal:administration", args=[administration.pk]) + "#nmbrs")


@portal_view()
def companies(request, pk):
    administration = _nmbrs_administration(request.user, pk, edit=request.method == "POST")
    effective = effective_settings(administration)
    credentials = effective.nmbrs_credentials
    form = LinkCompanyForm(request.POST or None)
    error = ""
    listed: list[Company] = []
    if credentials is not None:
        try:
            listed = reachable(administration, list_companies(credentials), request.user)
        except NmbrsError as exc:
            error = error_text(exc)

    if request.method == "POST" and form.is_valid() and not error:
        company = next((c for c in listed if c.id == form.cleaned_data["company_id"]), None)
        if credentials is None:
            form.add_error(None, _("There are no Nmbrs credentials to check the company with."))
        elif company is None:
            form.add_error(None, error_text(NoCompanyAccess(
                f"The Nmbrs user {credentials.login_email} has no access to company "
                f"{form.cleaned_data['company_id']}. Grant access in Nmbrs or link another company.")))
        elif refused := number_refusal(administration, company,
                                       must_match=options_of(effective.import_settings).number_must_match):
            form.add_error(None, refused)
        else:
            with transaction.atomic():
                changed = link_company(request.user, administration, company)
                if note := shared_access.assign_for_administrator(request.user, administration, company.name):
                    messages.info(request, note)
            if changed:
                messages.success(request, fill(_("%(administration)s is linked to the Nmbrs company %(company)s."),
                                 {"administration": administration.name, "company": company.name}))
            else:
                messages.info(request, fill(_("%(administration)s was already linked to %(company)s."),
                              {"administration": administration.name, "company": company.name}))
            return redirect("portal:administration", pk=administration.pk)

    relatiecode = normalize_number(administration.relation_code)

    def number_matches(company) -> bool:
        return bool(relatiecode) and normalize_number(company.number) == relatiecode

    # A firm's Nmbrs user reaches hundreds of companies: a page of them (Nmbrs lists them all at once, so
    # in memory). The forms post to the page's own URL, so a refused link shows the page it came from.
    # The company whose number is the Relatiecode is the likely choice: first, not on whichever page the
    # list's order (by number and name, list_companies) puts it; the others keep that order.
    page = paginate(request, sorted(listed, key=lambda company: not number_matches(company)))
    rows = [{"company": c, "linked": c.id == link_of(administration).company_id, "number_matches": number_matches(c)}
            for c in page]
    linked_is_visible = any(c.id == link_of(administration).company_id for c in listed)  # on any page
    # A linked company the domain may not reach (its assignment removed or given to another domain): why.
    refused = shared_access.refusal(administration)
    return render(request, "nmbrs/companies.html", {
        "administration": administration,
        "domain": administration.domain,
        "effective": effective,
        "credentials": credentials,
        "rows": rows,
        "page": page,
        "error": error,
        "form": form,
        "linked_refused": refused,
        "linked_not_visible": bool(listed) and link_of(administration).company_id and not linked_is_visible
        and not refused,
        "no_access_text": error_text(NoCompanyAccess("The Nmbrs user has no access to the linked company. Grant "
                                                     "access in Nmbrs or link another company.")),
        "can_edit": permissions.can_edit_domain(request.user, administration.domain),
        # Through the portal's credentials a domain user sees the domain's assigned companies only.
        "limited_to_assigned": shared_access.uses_shared_access(administration)
        and not permissions.is_portal_administrator(request.user),
    })


@dataclass
class _Row:
    administration: Administration
    company: Company | None = None  # the match
    reason: str = ""  # why there is no match, in the user's language
    already_linked: bool = False

    @property
    def to_link(self) -> bool:
        return self.company is not None and not self.already_linked

    @property
    def choice(self) -> str:
        return ConfirmMatchesForm.value(self.administration.pk, self.company.id) if self.company else ""


@dataclass
class _Group:
    """The administrations that share one set of effective credentials, matched against its companies."""

    credentials: NmbrsCredentials | None
    rows: list[_Row] = field(default_factory=list)
    error: str = ""
    unmatched_companies: list[Company] = field(default_factory=list)


def _match_domain(domain, user) -> list[_Group]:
    portal = PortalSettings.load()
    groups: dict[int | None, _Group] = {}
    for administration in domain.administrations.filter(source=SOURCE).order_by("name"):
        credentials = effective_settings(administration, portal).nmbrs_credentials
        key = credentials.pk if credentials is not None else None
        groups.setdefault(key, _Group(credentials)).rows.append(_Row(administration))
    for group in groups.values():
        if group.credentials is None:
            for row in group.rows:
                row.reason = _("no Nmbrs credentials: set them on the administration or in the portal settings")
            continue
        try:
            # The administrations of a group share a domain and credentials: one filter for all.
            listed = reachable(group.rows[0].administration, list_companies(group.credentials), user)
        except NmbrsError as exc:
            group.error = error_text(exc)
            for row in group.rows:
                row.reason = _("the companies could not be listed (see above)")
            continue
        result = match_companies(listed, {row.administration.pk: row.administration.relation_code
                                          for row in group.rows})
        by_pk = {row.administration.pk: row for row in group.rows}
        for match in result.matches:
            row = by_pk[match.administration]
            row.company = match.company
            row.already_linked = link_of(row.administration).company_id == match.company.id
        for mismatch in result.mismatches:
            by_pk[mismatch.administration].reason = mismatch.reason
        group.unmatched_companies = result.unmatched_companies
    return list(groups.values())


@portal_view()
def link_by_number(request, pk):
    domain = domain_for(request.user, pk, edit=request.method == "POST")
    groups = _match_domain(domain, request.user)
    rows = [row for group in groups for row in group.rows]
    pairs = [(row.administration.pk, row.company.id) for row in rows if row.to_link]
    form = ConfirmMatchesForm(request.POST or None, pairs=pairs)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        linked = []
        with transaction.atomic():
            for row in rows:
                if row.to_link and (row.administration.pk, row.company.id) in chosen:
                    if link_company(request.user, row.administration, row.company):
                        linked.append(row.administration.name)
                    if note := shared_access.assign_for_administrator(request.user, row.administration,
                                                                      row.company.name):
                        messages.info(request, note)
        messages.success(request, fill(_("Linked by number: %(names)s."), {"names": ", ".join(linked)}))
        return redirect("nmbrs:link-by-number", pk=domain.pk)
    return render(request, "nmbrs/link_by_number.html", {
        "domain": domain,
        "groups": groups,
        "matches": sum(1 for row in rows if row.company is not None),
        "mismatches": sum(1 for row in rows if row.company is None),
        "to_link": len(pairs),
        "form": form,
        "can_edit": permissions.can_edit_domain(request.user, domain),
    })
