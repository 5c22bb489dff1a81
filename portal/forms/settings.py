import copy
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.credentials import InvalidTenantKey, normalize_tenant_key, validate_credentials
from connectors.nmbrs.errors import MissingApiRights, NmbrsError, NoCompanyAccess, UnknownTenant
from connectors.nmbrs.mapping import SOURCE as NMBRS
from integrations.nmbrs.access import nmbrs_base_url
from integrations.nmbrs.forms import error_text
from portal import permissions
from portal.forms.secrets import SecretFieldsMixin
from portal.models import (
    Administration,
    AssignedEmployer,
    Domain,
    ImportSettings,
    NmbrsCredentials,
    PortalSettings,
)
from portal.models.connections import ConnectionStatus
from portal.models.domains import normalize_wage_tax_number
from portal.models.settings import ADVISED_WINDOW_DAYS
from portal.sources import registry, shared_access
from portal.sources.base import EmployerId
from portal.validators import clean_client_number, normalize_guid, validate_guid


class ImportSettingsForm(forms.ModelForm):
    class Meta:
        model = ImportSettings
        fields = ["auto_import", "import_payslips", "import_journals", "import_wage_tax_returns",
                  "import_sepa_files", "wage_tax_return_status", "nmbrs_number_must_match", "first_day", "last_day"]
        widgets = {
            "first_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
            "last_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }

    def window_warning(self) -> str:
        if self.is_bound and not self.is_valid():
            return ""
        return self.instance.window_warning()

    def window_advice(self) -> dict:
        """Seed 000's advice, on the form next to the window before saving: the page shows it while the
        typed window is shorter than advised (static/portal/portal.js, with `days` from here)."""
        return {"text": ImportSettings(first_day=1, last_day=1).window_warning(), "days": ADVISED_WINDOW_DAYS,
                "shown": bool(self.window_warning())}


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "yuki_domain_id", "payroll_link_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Domain.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("There is already a domain called %(name)s.") % {"name": name})
        return name

    def clean_yuki_domain_id(self):
        value = normalize_guid(self.cleaned_data["yuki_domain_id"])
        validate_guid(value)
        if Domain.objects.filter(yuki_domain_id__iexact=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another domain already has this Yuki domain ID."))
        return value


@dataclass(frozen=True)
class FormSection:
    """A part of the administration form that only counts for one position of a switch and/or one source.

    The one rule for "does this part count": the view validates and saves a section's sub-form only when
    it applies, and the page renders a section that does not apply hidden with its controls disabled
    (a disabled control is never `required` for the browser and is not sent). static/portal/portal.js
    applies the same rule, read from `show_when` and `source`, while the person flips the switches.
    """

    switch: str = ""  # a BooleanField of AdministrationForm
    when: bool = False  # the switch position in which the section counts
    source: str = ""  # only for this payroll source ("" = every source)

    def applies(self, form) -> bool:
        if self.source and form["source"].value() != self.source:
            return False
        return not self.switch or bool(form[self.switch].value()) == self.when

    @property
    def show_when(self) -> str:
        return f"id_{self.switch}:{'on' if self.when else 'off'}" if self.switch else ""


class AdministrationForm(SecretFieldsMixin, forms.ModelForm):
    secret_fields = ("yuki_access_key",)
    sections = {
        "own_import": FormSection("use_portal_import_settings", when=False),
        "nmbrs_direction": FormSection(source=NMBRS),
        "own_nmbrs": FormSection("use_portal_nmbrs_credentials", when=False, source=NMBRS),
    }

    class Meta:
        model = Administration
        fields = ["name", "yuki_administration_id", "yuki_access_key", "source",
                  "loket_client_number", "wage_tax_number", "use_portal_loket_access",
                  "use_portal_nmbrs_credentials", "use_portal_import_settings"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # People type it with dots and spaces ("8123.45.678.L.01"): allow that length, store it normalised.
        self.fields["wage_tax_number"].max_length = 20
        self.fields["wage_tax_number"].widget.attrs["maxlength"] = 20
        self.fields["wage_tax_number"].validators = [
            v for v in self.fields["wage_tax_number"].validators if type(v).__name__ != "MaxLengthValidator"]
        # A domain user on the portal's shared access picks the employer (portal/sources/shared_access.py).
        self.picks_employer = user is not None and not permissions.is_portal_administrator(user)
        if self.picks_employer:
            self.fields["shared_employer"] = SharedEmployerField(self.instance)
            self.order_fields([*self._meta.fields[:self._meta.fields.index("wage_tax_number") + 1],
                               "shared_employer"])

    def section_applies(self, name: str) -> bool:
        return self.sections[name].applies(self)

    def section_states(self) -> dict[str, dict]:
        """For the template: per section whether it applies now and the switch the script watches."""
        return {name: {"applies": section.applies(self), "show_when": section.show_when, "source": section.source}
                for name, section in self.sections.items()}

    def clean_wage_tax_number(self):
        return normalize_wage_tax_number(self.cleaned_data.get("wage_tax_number", ""))

    def _update_errors(self, errors):
        # The model's "Loket needs the client number" only repeats, wrongly, what the form already said
        # about a value it refused (a refused value never reaches the model): keep the form's message.
        if hasattr(errors, "error_dict"):
            for field in [f for f in errors.error_dict if f in self._errors]:
                del errors.error_dict[field]
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Administration.objects.filter(domain_id=self.instance.domain_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This domain already has an administration called %(name)s.")
                                        % {"name": name})
        return name

    def clean_loket_client_number(self):
        return clean_client_number(self.cleaned_data.get("loket_client_number", ""))

    def clean_yuki_administration_id(self):
        value = normalize_guid(self.cleaned_data.get("yuki_administration_id"))
        validate_guid(value)
        taken = Administration.objects.filter(domain_id=self.instance.domain_id,
                                              yuki_administration_id__iexact=value)
        if value and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another administration in this domain already has this Yuki "
                                          "administration ID."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("yuki_access_key"):
            self.add_error("yuki_access_key", _("Yuki needs the access key (API key) of this administration."))
        if self.picks_employer:
            self._take_picked_employer(cleaned)
        return cleaned

    def _take_picked_employer(self, cleaned) -> None:
        """On the portal's shared access the picked employer's numbers replace what was typed."""
        if cleaned.get("source") not in registry.SOURCES:
            return
        source = registry.get(cleaned["source"])
        if not (source.shared_access_switch and cleaned.get(source.shared_access_switch)):
            return  # their own login or credentials: the typed numbers are theirs to use
        fields = source.employer_fields(EmployerId("", ""))
        if not fields:
            return  # the source links its employer on a page of its own, from the assigned ones
        employer = cleaned.get("shared_employer")
        if employer is None and self._typed_employer_is_assigned(source, cleaned, fields):
            return  # typed (or kept from before) exactly as a portal administrator assigned it
        if employer is None or employer.source != source.key or employer.domain_id != self.instance.domain_id:
            self.add_error("shared_employer", _(
                "With the portal's shared %(source)s access, pick the employer from the list of employers a portal "
                "administrator assigned to this domain (or use your own %(source)s access).") % {"source": source.name})
            return
        for field, value in source.employer_fields(EmployerId(employer.number, employer.wage_tax_number)).items():
            cleaned[field] = value
            self.errors.pop(field, None)  # what was typed there is not used

    def _typed_employer_is_assigned(self, source, cleaned, fields) -> bool:
        if any(field in self.errors for field in fields):
            return False
        probe = copy.copy(self.instance)
        for field in fields:
            setattr(probe, field, cleaned.get(field) or "")
        return shared_access.is_assigned(self.instance.domain, source.key, source.employer_of(probe))


def picked_on_this_form() -> list[str]:
    """The sources whose employer is set on the administration form (the others link it on a page of their own)."""
    return [source.key for source in registry.all_sources()
            if source.shared_access_switch and source.employer_fields(EmployerId("", ""))]


class SharedEmployerField(forms.ModelChoiceField):
    def __init__(self, administration: Administration):
        domain_id = administration.domain_id
        super().__init__(
            queryset=AssignedEmployer.objects.filter(domain_id=domain_id, source__in=picked_on_this_form())
            .order_by("source", "name"),
            required=False, label=_("Employer (portal's shared access)"),
            empty_label=_("– pick an employer –"),
            help_text=_("With the portal's shared access you pick one of the employers a portal administrator "
                        "assigned to this domain; its numbers are used instead of the ones typed above."))
        current = registry.get(administration.source).employer_of(administration) \
            if administration.pk and administration.source in registry.SOURCES else None
        if current is not None:
            self.initial = self.queryset.filter(source=administration.source, number=current.number,
                                                wage_tax_number=current.wage_tax_number).first()

    def label_from_instance(self, obj) -> str:
        return f"{obj} – {obj.get_source_display()}"


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
        lost = [a for a in self._linked_administrations() if a.nmbrs_company_id not in visible]
        if lost:
            error = NoCompanyAccess(
                f"The Nmbrs user {cleaned['login_email']} has no access to a linked company. Grant access "
                f"in Nmbrs or link another company.", operation="List_GetAll")
            self.add_error(None, forms.ValidationError(error_text(error), code="nmbrs"))
            for administration in lost:
                company = administration.nmbrs_company_name or str(administration.nmbrs_company_id)
                if administration.nmbrs_company_number:
                    company += f" ({administration.nmbrs_company_number})"
                self.add_error(None, _("Linked company %(company)s of administration %(administration)s.")
                               % {"company": company, "administration": administration.name})
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
        linked = Administration.objects.filter(source=NMBRS, nmbrs_company_id__isnull=False)
        if self.instance.pk is None:
            wanted = self.administration
            return [wanted] if wanted is not None and wanted.nmbrs_company_id else []
        users = Q(own_nmbrs_credentials=self.instance.pk)
        if PortalSettings.objects.filter(nmbrs_credentials=self.instance.pk).exists():
            users |= Q(use_portal_nmbrs_credentials=True)
        return list(linked.filter(users).select_related("domain").order_by("domain__name", "name"))
