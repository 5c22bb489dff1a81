"""Nmbrs REST's forms: the portal's registered app and subscription key (portal settings; secrets never
shown again), its part of the administration form (the portal's access or an own connection), and the
company link."""

from __future__ import annotations

from django import forms

from connectors.nmbrs_rest.mapping import SOURCE
from integrations.nmbrs_rest.models import NmbrsRestLink, NmbrsRestPortalAccess, link_of
from portal.forms.parts import AdministrationFormPart, FormSection
from portal.forms.secrets import SecretFieldsMixin
from portal.validators import clean_client_number


class AppCredentialsForm(SecretFieldsMixin, forms.ModelForm):
    """docs/vendors/nmbrs-rest.md, "Authorisation": the app registered with Nmbrs (client id and secret, the
    redirect URI the card shows) and the product's subscription key. Checked when someone connects."""

    secret_fields = ("client_secret", "subscription_key")

    class Meta:
        model = NmbrsRestPortalAccess
        fields = ["client_id", "client_secret", "subscription_key"]


class LinkCompanyForm(forms.Form):
    """Link the administration to one of the companies its connection sees (checked again on saving)."""

    company_id = forms.UUIDField(widget=forms.HiddenInput)


class NmbrsRestAdministrationForm(AdministrationFormPart):
    """On the administration form: the company number (to link by number, as Nmbrs SOAP) and the switch for
    the portal's access; an own connection is made with "Connect to Nmbrs" on the administration page."""

    fields = ("relation_code", "use_portal_nmbrs_rest_access")
    link_fields = {"use_portal_nmbrs_rest_access": "use_portal_access"}
    cleaners = {"relation_code": clean_client_number}
    sections = {"nmbrs_rest_own": FormSection("use_portal_nmbrs_rest_access", when=False, source=SOURCE)}
    template = "nmbrs_rest/_administration_form.html"

    def link(self, administration) -> NmbrsRestLink:
        return link_of(administration)
