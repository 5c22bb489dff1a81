"""Nmbrs' forms: the credentials (on the portal settings page and as the administration form's "own
credentials" card), its part of the administration form, the company linking pages; and Nmbrs'
explanations in the user's language.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.credentials import InvalidTenantKey, normalize_tenant_key, validate_credentials
from connectors.nmbrs.errors import MissingApiRights, NmbrsError, NoCompanyAccess, UnknownTenant
from connectors.nmbrs.mapping import SOURCE as NMBRS
from integrations.nmbrs.access import nmbrs_base_url
from integrations.nmbrs.models import NmbrsCredentials, NmbrsLink, NmbrsPortalAccess, link_of
from portal import auditing
from portal.forms.parts import AdministrationFormPart, FormSection
from portal.forms.secrets import SecretFieldsMixin
from portal.models import Administration
from portal.models.connections import ConnectionStatus
from portal.sentences import fill
from portal.sources.messages import user_message
from portal.validators import IdField, clean_client_number


def error_text(error) -> str:
    """What the bookkeeper reads about an Nmbrs error, in the language active now (the English `message`
    is for the logs)."""
    return user_message(error)


class LinkCompanyForm(forms.Form):
    """Link one administration to one of the companies its credentials see (checked again on saving)."""

    company_id = IdField(widget=forms.HiddenInput)


class ConfirmMatchesForm(forms.Form):
    """The matches found by number, to confirm. Each choice is 'administration pk:company id'; a choice that
    is no longer a match when the form is posted (Nmbrs or the Relatiecodes changed) is refused."""

    links = forms.MultipleChoiceField(
        label=_("Link these administrations"), widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one administration to link."),
            "invalid_choice": _("The matches changed since the page was shown. Check them again and confirm."),
        },
    )

    def __init__(self, *args, pairs: list[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["links"].choices = [(self.value(*pair), self.value(*pair)) for pair in pairs]
        self.fields["links"].initial = [self.value(*pair) for pair in pairs]

    @staticmethod
    def value(administration_pk: int, company_id: int) -> str:
        return f"{administration_pk}:{company_id}"

    def chosen(self) -> set[tuple[int, int]]:
        return {tuple(int(part) for part in value.split(":")) for value in self.cleaned_data["links"]}


class NmbrsCredentialsForm(SecretFieldsMixin, forms.ModelForm):
    """docs/vendors/nmbrs.md, "Credentials". Saving checks the credentials with one call to Nmbrs (CompanyService.List_GetAll)
    and explains a refusal in the user's words; only credentials Nmbrs accepted are saved, as "authorised".

    The companies linked to administrations that would use these credentials must stay visible to
    them (fault 1003 otherwise). `administration` (optional): the administration new credentials are
    for, when the caller knows it.
    """

    secret_fields = ("api_token",)
    # Saving waits for Nmbrs while a person looks at the page: do not wait an import's two minutes.
    VALIDATION_TIMEOUT = 20.0

    class Meta:
        model = NmbrsCredentials
        fields = ["login_email", "api_token", "tenant_key", "tenant_name"]

    def __init__(self, *args, administration=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.administration = administration
        self.companies = []  # what a successful check saw: the companies these credentials may link

    def clean_tenant_key(self):
        # docs/vendors/nmbrs.md: "uit kantoor.nmbrs.nl haal je kantoor"; people paste the whole address.
        try:
            return normalize_tenant_key(self.cleaned_data.get("tenant_key") or "")
        except InvalidTenantKey as error:
            raise forms.ValidationError(error_text(error), code="tenant_key") from error

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("api_token"):
            self.add_error("api_token", _("Enter the API token from your Nmbrs user profile (tab API token)."))
        if self.errors:
            return cleaned  # Nmbrs is only asked about complete credentials
        try:
            # The token typed now, or the stored one when the input was left empty (SecretFieldsMixin).
            check = validate_credentials(cleaned["login_email"], cleaned["api_token"], cleaned["tenant_key"],
                                         base_url=nmbrs_base_url(), client_factory=self._client)
        except NmbrsError as error:
            field = "tenant_key" if isinstance(error, UnknownTenant) else None
            text = error_text(error)
            self.add_error(field, forms.ValidationError(text, code="nmbrs"))
            if isinstance(error, MissingApiRights) and error.operation and error.operation not in text:
                self.add_error(None, _("The right to switch on: %(operation)s.") % {"operation": error.operation})
            if error.transient:
                self.add_error(None, _("Nothing is saved yet: save again in a few minutes."))
            return cleaned
        visible = {company.id for company in check.companies}
        lost = [a for a in self._linked_administrations() if link_of(a).company_id not in visible]
        if lost:
            error = NoCompanyAccess(
                f"The Nmbrs user {cleaned['login_email']} has no access to a linked company. Grant access "
                f"in Nmbrs or link another company.", operation="List_GetAll")
            self.add_error(None, forms.ValidationError(error_text(error), code="nmbrs"))
            for administration in lost:
                company = link_of(administration).company_name or str(link_of(administration).company_id)
                if link_of(administration).company_number:
                    company += f" ({link_of(administration).company_number})"
                self.add_error(None, fill(_("Linked company %(company)s of administration %(administration)s."),
                                    {"company": company, "administration": administration.name}))
            return cleaned
        self.companies = check.companies
        self.instance.status = ConnectionStatus.AUTHORISED
        self.instance.status_reason = ""
        self.instance.validated_at = timezone.now()
        return cleaned

    def _client(self, credentials, base_url):
        return NmbrsClient(credentials, base_url, timeout=self.VALIDATION_TIMEOUT)

    def _linked_administrations(self) -> list[Administration]:
        """Nmbrs administrations linked to a company that use (or are about to use) these credentials."""
        linked = Administration.objects.filter(source=NMBRS, nmbrs_link__company_id__isnull=False)
        if self.instance.pk is None:
            wanted = self.administration
            return [wanted] if wanted is not None and link_of(wanted).company_id else []
        users = Q(nmbrs_link__own_credentials=self.instance.pk)
        if NmbrsPortalAccess.objects.filter(credentials=self.instance.pk).exists():
            users |= Q(nmbrs_link__use_portal_credentials=True)
        return list(linked.filter(users).select_related("domain", "nmbrs_link").order_by("domain__name", "name"))


class NmbrsAdministrationForm(AdministrationFormPart):
    """On the administration form: the company number (to link by number), the switch for the portal's
    credentials, the sync direction, and the own credentials while the portal's are not used."""

    fields = ("relation_code", "use_portal_nmbrs_credentials")
    link_fields = {"use_portal_nmbrs_credentials": "use_portal_credentials"}
    cleaners = {"relation_code": clean_client_number}
    sections = {
        "nmbrs_direction": FormSection(source=NMBRS),
        "own_nmbrs": FormSection("use_portal_nmbrs_credentials", when=False, source=NMBRS, form="nmbrs_form"),
    }
    template = "nmbrs/_administration_form.html"

    def sub_form(self, section, administration, data) -> NmbrsCredentialsForm:
        credentials = link_of(administration).own_credentials or NmbrsCredentials()
        # Nmbrs is asked (in is_valid) only once the rest of the page is right: the view sees to that.
        form = NmbrsCredentialsForm(data, instance=credentials, prefix="nmbrs",
                                    administration=None if administration.pk is None else administration)
        # Before validation: a ModelForm's is_valid() already writes the input onto the instance.
        form.before = auditing.snapshot(credentials) if credentials.pk else None
        return form

    def save(self, user, administration, section, form) -> None:
        auditing.save_audited(user, form.instance, form.before,
                              label=gettext_now("Nmbrs credentials of %(name)s") % {"name": administration.name})
        link_of(administration).own_credentials = form.instance  # saved with the link, after the administration

    def link(self, administration) -> NmbrsLink:
        return link_of(administration)
